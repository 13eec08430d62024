package dev.berth.runner.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth completion bash|zsh}: picocli's completion script for every command and option. One
 * script serves both shells: under zsh it loads bash completion's {@code bashcompinit}
 * compatibility itself, as picocli documents.
 */
@Command(
    name = "completion",
    header = "Print the shell completion script.",
    description = {
      "Prints a script that completes berth's commands, options and their values in bash or zsh."
          + " Load it in the shell's start-up file, or install it where the shell looks for"
          + " completions (the packages do)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  # bash, in ~/.bashrc",
      "  source <(berth completion bash)",
      "  # zsh, in ~/.zshrc",
      "  source <(berth completion zsh)",
      "  # Installed, for bash-completion to load when needed",
      "  berth completion bash > ~/.local/share/bash-completion/completions/berth",
      "  berth completion bash > /etc/bash_completion.d/berth",
    })
final class CompletionCommand implements Callable<Integer> {

  /** The shells the script serves. */
  enum Shell {
    bash,
    zsh
  }

  @Mixin HelpOption help;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
  Shell shell;

  @Override
  public Integer call() {
    // The same script for both: picocli's bash script runs bashcompinit when it finds zsh.
    spec.commandLine().getOut().print(script(spec.root().commandLine().getCommandName()));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }

  private String script(String name) {
    return AutoComplete.bash(name, spec.root().commandLine());
  }
}
