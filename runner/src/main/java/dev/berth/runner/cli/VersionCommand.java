package dev.berth.runner.cli;

import dev.berth.runner.BerthVersion;
import java.io.PrintStream;
import java.util.List;
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

  /**
   * {@code berth version} (or {@code --version}) alone, printed without the command line's parser:
   * building picocli's model of every command is most of a short command's CPU time (about 0.2 s
   * here), and scripts and package checks run this one. Anything more on the line goes through the
   * parser as usual.
   *
   * @return whether {@code args} were that and the version is printed
   */
  static boolean printAlone(String[] args, PrintStream out) {
    if (args.length != 1 || !List.of("version", "--version", "-V").contains(args[0])) {
      return false;
    }
    for (String line : BerthVersion.lines()) {
      out.println(line);
    }
    out.flush();
    return true;
  }

  @Override
  public Integer call() {
    for (String line : BerthVersion.lines()) {
      spec.commandLine().getOut().println(line);
    }
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
