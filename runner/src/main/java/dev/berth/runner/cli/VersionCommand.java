package dev.berth.runner.cli;

import dev.berth.runner.BerthVersion;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code berth version}: offline, so it works when nothing else does. */
@Command(
    name = "version",
    footerHeading = "%nExamples:%n",
    footer = {
      "  berth version",
      "  berth --version",
    },
    header = "Print the version.",
    description = "Prints the version of this CLI and of the Java it runs on. Works offline.")
final class VersionCommand implements Callable<Integer> {

  @Mixin HelpOption help;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    for (String line : BerthVersion.lines()) {
      spec.commandLine().getOut().println(line);
    }
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
