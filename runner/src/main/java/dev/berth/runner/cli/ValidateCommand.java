package dev.berth.runner.cli;

import dev.berth.store.file.LoadResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code berth validate -f FILE|DIR}: checks service definitions offline, as apply would. */
@Command(
    name = "validate",
    footerHeading = "%nExamples:%n",
    footer = {
      "  berth validate -f services/",
      "  berth validate -f web.toml",
    },
    header = "Check service-definition files, offline.",
    description = {
      "Checks service-definition files without contacting the agent, with the rules apply uses.",
      "Prints every problem with its file and field path; exits 0 when all are valid, 1 otherwise."
    })
final class ValidateCommand implements Callable<Integer> {

  @Mixin HelpOption help;

  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "FILE|DIR",
      description = "A service-definition file, or a directory: every *.toml file directly in it.")
  Path file;

  @Override
  public Integer call() {
    LoadResult result = DefinitionFiles.load(file, spec.commandLine().getErr());
    if (!result.ok()) {
      spec.commandLine().getErr().println(DefinitionFiles.failure(result, file));
      spec.commandLine().getErr().flush();
      return ExitCodes.FAILED;
    }
    spec.commandLine()
        .getOut()
        .println(Formats.count(result.services().size(), "service", "services") + " valid");
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
