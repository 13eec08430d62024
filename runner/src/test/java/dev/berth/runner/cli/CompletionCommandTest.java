package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth completion}: the script, sourced in a real bash, completes what berth takes. */
class CompletionCommandTest {

  @TempDir Path dir;

  /**
   * The words bash would offer for the command line {@code line} (the cursor at its end), with the
   * script of {@code berth completion SHELL} loaded, as the shell calls a completion function.
   */
  List<String> complete(String shell, String line) throws Exception {
    Cli.Run run = Cli.plain().run("completion", shell);
    assertThat(run.exitCode()).isZero();
    Path script = Files.writeString(dir.resolve("berth-completion"), run.out());
    String driver =
        """
        source "$1"
        # compopt only changes how bash shows the words; outside a real completion it refuses.
        compopt() { :; }
        read -r -a COMP_WORDS <<< "$2"
        if [[ "$2" == *" " ]]; then COMP_WORDS+=(""); fi
        COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
        COMP_LINE="$2"
        COMP_POINT=${#COMP_LINE}
        function_name=$(complete -p berth | sed -E 's/.*-F ([^ ]+).*/\\1/')
        "$function_name" berth "${COMP_WORDS[$COMP_CWORD]}" "${COMP_WORDS[$COMP_CWORD-1]}"
        printf '%s\\n' "${COMPREPLY[@]}"
        """;
    Process bash =
        new ProcessBuilder("bash", "-c", driver, "bash", script.toString(), line)
            .redirectErrorStream(true)
            .start();
    String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(bash.exitValue()).as(out).isZero();
    return out.lines().filter(l -> !l.isBlank()).map(String::strip).sorted().toList();
  }

  @Test
  void bashCompletesACommandName() throws Exception {
    assertThat(complete("bash", "berth sta")).containsExactly("start", "status");
  }

  @Test
  void bashCompletesTheOptionsOfACommand() throws Exception {
    assertThat(complete("bash", "berth status --so")).containsExactly("--socket");
  }

  @Test
  void bashCompletesTheShellsOfCompletion() throws Exception {
    assertThat(complete("bash", "berth completion ")).containsExactly("bash", "zsh");
  }

  @Test
  void theZshScriptLoadsBashCompletionsCompatibility() {
    Cli.Run run = Cli.plain().run("completion", "zsh");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("bashcompinit").contains("complete -F");
  }

  @Test
  void anotherShellIsAUsageError() {
    Cli.Run run = Cli.plain().run("completion", "fish");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("expected one of [bash, zsh]");
  }
}
