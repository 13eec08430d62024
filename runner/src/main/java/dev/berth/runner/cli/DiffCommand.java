package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import dev.berth.store.file.LoadResult;
import dev.berth.store.file.LoadedService;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth diff -f FILE|DIR [--prune] [--take-over] [--skip-other-nodes]}: what {@code apply}
 * would change, as {@code apply --dry-run} computes it, with {@code kubectl diff}'s exit codes, so
 * a script can ask "is the node as the files say?".
 */
@Command(
    name = "diff",
    customSynopsis = {
      "berth diff -f FILE|DIR [--prune] [--take-over] [--skip-other-nodes] [CONNECTION]"
    },
    header = "Show what applying files would change.",
    description = {
      "Shows what berth apply -f FILE|DIR would change, field by field, as apply --dry-run does, and changes nothing: the services that would be created, updated or pruned; nothing when none would.",
      "Exits 0 when nothing would change, 1 when something would, and more than 1 on an error (as kubectl diff): 8 for what other commands exit 1 with (a file error, a refused request), and the other codes below as they are."
    })
final class DiffCommand extends ClientCommand {

  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "FILE|DIR",
      description =
          "A service-definition file, or a directory: every *.toml file directly in it; - reads"
              + " one file's text from standard input.")
  Path file;

  @Option(
      names = "--prune",
      description =
          "Also show the services apply --prune would delete: those an earlier apply of the same"
              + " FILE|DIR declared and this one does not.")
  boolean prune;

  @Option(
      names = "--take-over",
      description =
          "Compare the services another source declared too, as apply --take-over would take"
              + " them; without it, such a service is a conflict (exit 5).")
  boolean takeOver;

  @Option(
      names = "--skip-other-nodes",
      description = "Compare only the services for this node, as apply --skip-other-nodes does.")
  boolean skipOtherNodes;

  private List<LoadedService> services = List.of();

  @Override
  int prepare() {
    LoadResult loaded = DefinitionFiles.load(file, environment().stdin(), err());
    if (!loaded.ok()) {
      err().println(DefinitionFiles.failure(loaded, file) + "; nothing was compared");
      return ExitCodes.DIFF_FAILED;
    }
    services = loaded.services();
    return ExitCodes.OK;
  }

  @Override
  int run(AgentConnection agent) {
    AgentProto.ApplyRequest.Builder request =
        AgentProto.ApplyRequest.newBuilder()
            .setPrune(prune)
            .setDryRun(true)
            .setTakeOver(takeOver)
            // The source apply would send, so that --prune and ownership are judged as for it.
            .setSource(services.get(0).source());
    ApplySender.Sent sent;
    try {
      sent = new ApplySender(agent, err(), err()).send(request, services, skipOtherNodes);
    } catch (StatusRuntimeException e) {
      // --skip-other-nodes asks for the node's name first.
      return failed(
          AgentErrors.report(e, agent.target(), agent.callTimeout(), errorPaths(), err()));
    }
    if (sent.response() == null) {
      return failed(sent.exitCode());
    }
    ApplyOutput.printDiff(sent.response(), out());
    return ApplyOutput.changes(sent.response()) ? ExitCodes.FAILED : ExitCodes.OK;
  }

  /** An error's exit code, where 1 (which means "something would change" here) becomes 8. */
  static int failed(int code) {
    return code == ExitCodes.FAILED ? ExitCodes.DIFF_FAILED : code;
  }

  @Override
  UnaryOperator<String> errorPaths() {
    return new ServicePaths(services);
  }
}
