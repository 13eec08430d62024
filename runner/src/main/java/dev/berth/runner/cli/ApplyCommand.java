package dev.berth.runner.cli;

import dev.berth.proto.v1.ApplyRequest;
import dev.berth.proto.v1.ApplyResponse;
import dev.berth.proto.v1.ServiceChange;
import dev.berth.runner.api.ProtoSpecs;
import dev.berth.store.file.LoadResult;
import dev.berth.store.file.LoadedService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code berth apply -f FILE|DIR [--prune] [--dry-run] [--wait] [--json]}. */
@Command(
    name = "apply",
    customSynopsis = "berth apply -f FILE|DIR [--prune] [--dry-run] [--wait] [--json] [CONNECTION]",
    header = "Declare the services of a file or directory.",
    description = {
      "Declares the services of FILE, or of every *.toml file in DIR, on the agent.",
      "The files are checked first, as validate does: with any problem nothing is sent.",
      "Applying the same files again changes nothing."
    })
final class ApplyCommand extends ClientCommand {

  /** How long --wait waits when --timeout is not given: a pull and a start or two. */
  static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);

  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "FILE|DIR",
      description = "A service-definition file, or a directory: every *.toml file directly in it.")
  Path file;

  @Option(
      names = "--prune",
      description =
          "Delete the services an earlier apply of the same FILE|DIR declared and this one does"
              + " not.")
  boolean prune;

  @Option(
      names = "--dry-run",
      description = "Show what would change, field by field, and change nothing.")
  boolean dryRun;

  @Option(
      names = "--wait",
      description =
          "Then wait until every applied service runs as declared (or is stopped, if declared"
              + " so); fail on a crash loop or a failed certificate. --timeout bounds the whole"
              + " wait (default 5m).")
  boolean await;

  @Option(
      names = "--json",
      description = "Print the agent's ApplyResponse as JSON; --wait progress then goes to stderr.")
  boolean json;

  private List<LoadedService> services = List.of();

  @Override
  int prepare() {
    if (await && dryRun) {
      throw new ParameterException(
          spec.commandLine(), "--wait and --dry-run exclude each other: a dry run changes nothing");
    }
    LoadResult loaded = DefinitionFiles.load(file, err());
    if (!loaded.ok()) {
      err()
          .println(
              "error: "
                  + DefinitionFiles.problems(loaded)
                  + " in "
                  + file
                  + "; nothing was applied");
      return ExitCodes.FAILED;
    }
    services = loaded.services();
    return ExitCodes.OK;
  }

  @Override
  int run(AgentConnection agent) throws InterruptedException {
    ApplyRequest.Builder request =
        ApplyRequest.newBuilder()
            .setPrune(prune)
            .setDryRun(dryRun)
            // Every service of one load shares its source, file:/abs/path, so that --prune removes
            // what an earlier apply of the same file or directory declared, and nothing else.
            .setSource(services.get(0).source());
    services.forEach(s -> request.addServices(ProtoSpecs.toProto(s.spec())));
    ApplyResponse response = agent.call().apply(request.build());
    if (json) {
      out().println(Json.document(response));
    } else {
      ApplyOutput.print(response, out());
    }
    out().flush();
    if (!await) {
      return ExitCodes.OK;
    }
    List<ConvergenceWait.Target> targets = new ArrayList<>();
    for (ServiceChange change : response.getChangesList()) {
      // Unchanged services are waited for too: --wait promises that what the files declare runs.
      if (change.getKind() != ServiceChange.Kind.PRUNED) {
        targets.add(new ConvergenceWait.Target(change.getService(), change.getGeneration()));
      }
    }
    Duration limit = client().timeoutGiven() == null ? DEFAULT_WAIT : client().timeoutGiven();
    return new ConvergenceWait(
            agent,
            environment().clock(),
            json ? err() : out(),
            err(),
            limit,
            ConvergenceWait.POLL_INTERVAL)
        .await(targets);
  }

  @Override
  UnaryOperator<String> errorPaths() {
    return new ServicePaths(services);
  }
}
