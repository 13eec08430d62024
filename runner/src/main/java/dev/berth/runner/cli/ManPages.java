package dev.berth.runner.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Writes a roff man page per command ({@code berth.1}, {@code berth-status.1}, {@code
 * berth-kube-export.1}...), run by the build (runner/pom.xml). Each page is the command's {@code
 * --help} as the CLI prints it, under the man sections: one text, so the man page cannot drift from
 * the help that the tests check. picocli's own generator writes AsciiDoc only, and no AsciiDoc
 * converter is installed here; this needs nothing but picocli.
 */
public final class ManPages {

  /** The width man pages are set at: the help is written for 80 columns, as in a terminal. */
  static final int WIDTH = 80;

  private ManPages() {}

  /**
   * {@code ManPages DIR VERSION COMPLETION}: writes the pages into {@code DIR}, made if missing,
   * for Berth VERSION (the build's: classes outside a jar know none), and the completion script
   * {@code berth completion bash} prints to the file COMPLETION, for the packages to ship beside
   * them.
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: ManPages OUTPUT-DIRECTORY VERSION COMPLETION");
    }
    Path directory = Files.createDirectories(Path.of(args[0]));
    CommandLine berth = BerthCli.commandLine(CliEnvironment.system());
    for (Map.Entry<String, String> page : pages(berth, "berth " + args[1]).entrySet()) {
      Files.writeString(directory.resolve(page.getKey()), page.getValue(), StandardCharsets.UTF_8);
    }
    Path completion = Path.of(args[2]).toAbsolutePath();
    Files.createDirectories(completion.getParent());
    Files.writeString(completion, AutoComplete.bash("berth", berth), StandardCharsets.UTF_8);
  }

  /** Every command's page, by file name, {@code berth} first. */
  static Map<String, String> pages(CommandLine berth, String version) {
    Map<String, String> pages = new java.util.LinkedHashMap<>();
    List<CommandLine> all = new ArrayList<>();
    collect(berth, all);
    for (CommandLine command : all) {
      pages.put(name(command.getCommandSpec()) + ".1", page(command, version));
    }
    return pages;
  }

  private static void collect(CommandLine command, List<CommandLine> all) {
    all.add(command);
    command.getSubcommands().values().forEach(sub -> collect(sub, all));
  }

  /** {@code berth-kube-export}: the page's name, as git names its commands' pages. */
  static String name(CommandSpec spec) {
    return spec.qualifiedName("-");
  }

  static String page(CommandLine command, String version) {
    CommandSpec spec = command.getCommandSpec();
    command.setUsageHelpWidth(WIDTH);
    String name = name(spec);
    String[] header = spec.usageMessage().header();
    String summary =
        header.length > 0
            ? String.join(" ", header)
            : String.join(" ", spec.usageMessage().description());
    StringBuilder roff = new StringBuilder();
    roff.append(".TH ")
        .append(quoted(name.toUpperCase(java.util.Locale.ROOT)))
        .append(" 1 \"\" ")
        .append(quoted(version))
        .append(" \"Berth Manual\"\n");
    roff.append(".SH NAME\n").append(escape(name + " - " + summary)).append('\n');
    roff.append(".SH DESCRIPTION\n.nf\n");
    for (String line : command.getUsageMessage().lines().toList()) {
      roff.append(escape(line)).append('\n');
    }
    roff.append(".fi\n");
    if (spec.parent() == null) {
      roff.append(".SH SEE ALSO\n").append(escape(seeAlso(command))).append('\n');
    } else {
      roff.append(".SH SEE ALSO\nberth(1)\n");
    }
    return roff.toString();
  }

  private static String seeAlso(CommandLine berth) {
    List<String> pages = new ArrayList<>();
    for (CommandLine sub : berth.getSubcommands().values()) {
      pages.add(name(sub.getCommandSpec()) + "(1)");
    }
    return String.join(", ", pages);
  }

  /**
   * Text as roff prints it: a backslash escaped, a leading dot or quote (roff's request marks) made
   * text with a zero-width {@code \&}, and a hyphen-minus kept a minus, as options need.
   */
  static String escape(String line) {
    String text = line.replace("\\", "\\e").replace("-", "\\-");
    if (text.startsWith(".") || text.startsWith("'")) {
      text = "\\&" + text;
    }
    return text;
  }

  private static String quoted(String text) {
    return "\"" + escape(text).replace("\"", "\\(dq") + "\"";
  }
}
