package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every command's help ends with examples, and every example is a command line berth accepts: each
 * is parsed (not run) as the shell would hand it over.
 */
class HelpExamplesTest {

  /** One command line for every help and parse: building one is most of the cost. */
  static final CommandLine BERTH =
      BerthCli.commandLine(new CliEnvironment(Map.of(), Clock.systemUTC(), new ManualStopSignal()));

  static CommandLine berth() {
    return BERTH;
  }

  /** Every command, subcommands of subcommands included, by its qualified name. */
  static Stream<String> commands() {
    List<String> names = new ArrayList<>();
    collect(berth(), names);
    return names.stream();
  }

  private static void collect(CommandLine command, List<String> names) {
    names.add(command.getCommandSpec().qualifiedName());
    command.getSubcommands().values().forEach(sub -> collect(sub, names));
  }

  static CommandLine find(String qualifiedName) {
    CommandLine command = berth();
    for (String word : qualifiedName.split(" ")) {
      if (!word.equals("berth")) {
        command = command.getSubcommands().get(word);
      }
    }
    return command;
  }

  /**
   * The command lines under the help's {@code Examples:} heading: those that start with {@code
   * berth} (after variables set for its run), cut before a pipe, a redirection, {@code ||} or
   * {@code &&}; comments and other shell lines are not berth's.
   */
  static List<String[]> examples(String help) {
    List<String[]> out = new ArrayList<>();
    for (String line : examplesSection(help).lines().toList()) {
      // A variable set for the command's run, such as BERTH_CLIENT_CONFIG=ops.toml berth ...
      String text = line.strip().replaceFirst("^([A-Z_]+=\\S+ )+", "");
      if (!text.startsWith("berth ") && !text.equals("berth")) {
        continue;
      }
      text = text.split(" (\\|\\||&&|[|>]) ")[0];
      List<String> words = words(text);
      out.add(words.subList(1, words.size()).toArray(String[]::new));
    }
    return out;
  }

  /**
   * The words the shell would pass: split at blanks outside quotes and {@code $(...)}, quotes
   * removed. A substitution stays one word, as it is when quoted (and as its output would be).
   */
  static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    char quote = 0;
    int depth = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (depth > 0) {
        depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        word.append(c);
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '$' && i + 1 < line.length() && line.charAt(i + 1) == '(') {
        depth = 1;
        word.append("$(");
        i++;
      } else if (Character.isWhitespace(c)) {
        if (!word.isEmpty()) {
          words.add(word.toString());
          word.setLength(0);
        }
      } else {
        word.append(c);
      }
    }
    if (!word.isEmpty()) {
      words.add(word.toString());
    }
    return words;
  }

  /** What follows the {@code Examples:} heading: the help's last section. */
  static String examplesSection(String help) {
    return help.substring(help.indexOf("\nExamples:\n") + "\nExamples:\n".length());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void everyCommandsHelpHasExamples(String command) {
    String help = find(command).getUsageMessage();

    assertThat(help).contains("\nExamples:\n");
    assertThat(examples(help)).as("the examples of " + command).hasSizeBetween(2, 4);
    // Help wraps long lines: a wrapped example would show, and be parsed, cut in two.
    assertThat(examplesSection(help).lines())
        .as("the lines of the examples of " + command)
        .allMatch(line -> line.startsWith("  "));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void everyExampleParses(String command) {
    for (String[] example : examples(find(command).getUsageMessage())) {
      assertThatCode(() -> berth().parseArgs(example))
          .as("berth " + String.join(" ", example))
          .doesNotThrowAnyException();
    }
  }
}
