package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import dev.berth.store.file.LoadResult;
import dev.berth.store.file.LoadedService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code berth apply -f FILE|DIR [--prune] [--dry-run] [--wait] [--take-over] [--skip-other-nodes]
 * [--expected-generation SERVICE=N]... [-o json|yaml|name]}.
 */
@Command(
    name = "apply",
    footerHeading = "%nExamples:%n",
    footer = {
      "  berth apply -f services/",
      "  # What would change, changing nothing",
      "  berth apply -f web.toml --dry-run",
      "  # Remove the services no longer in the directory, and wait until all run",
      "  berth apply -f services/ --prune --wait",
    },
    customSynopsis = {
      "berth apply -f FILE|DIR [--prune] [--dry-run] [--wait] [--take-over]",
      "            [--skip-other-nodes] [--expected-generation SERVICE=N]...",
      "            [-o json|yaml|name] [CONNECTION]"
    },
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
      description =
          "A service-definition file, or a directory: every *.toml file directly in it; - reads"
              + " one file's text from standard input.")
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
      names = "--take-over",
      description =
          "Take the services that another source (another FILE|DIR, or a client of the API)"
              + " declared; without it, such a service is a conflict (exit 5) and nothing is"
              + " applied.")
  boolean takeOver;

  @Option(
      names = "--skip-other-nodes",
      description =
          "Apply only the services for this node (no node, or this node's name) and say which"
              + " were skipped; without it, a service for another node is refused and nothing is"
              + " applied.")
  boolean skipOtherNodes;

  @Option(
      names = "--expected-generation",
      paramLabel = "SERVICE=N",
      description =
          "Apply only if SERVICE is at generation N (as the last apply or status showed it; 0: it"
              + " must not exist yet); otherwise nothing is applied (exit 5). Repeatable.")
  Map<String, Long> expectedGenerations = new java.util.LinkedHashMap<>();

  /** -o json or yaml: the agent's ApplyResponse; --wait's progress then goes to stderr. */
  @Mixin OutputOptions output;

  private OutputFormat format;

  private List<LoadedService> services = List.of();

  @Override
  int prepare() {
    format = output.format(ANSWERS);
    if (await && dryRun) {
      throw new ParameterException(
          spec.commandLine(), "--wait and --dry-run exclude each other: a dry run changes nothing");
    }
    LoadResult loaded = DefinitionFiles.load(file, environment().stdin(), err());
    if (!loaded.ok()) {
      err().println(DefinitionFiles.failure(loaded, file) + "; nothing was applied");
      return ExitCodes.FAILED;
    }
    services = loaded.services();
    return ExitCodes.OK;
  }

  @Override
  int run(AgentConnection agent) throws InterruptedException {
    AgentProto.ApplyRequest.Builder request =
        AgentProto.ApplyRequest.newBuilder()
            .setPrune(prune)
            .setDryRun(dryRun)
            .setTakeOver(takeOver)
            .putAllExpectedGenerations(expectedGenerations)
            // Every service of one load shares its source, file:/abs/path, so that --prune removes
            // what an earlier apply of the same file or directory declared, and nothing else.
            .setSource(services.get(0).source());
    ApplySender.Sent sent =
        new ApplySender(agent, format == OutputFormat.TABLE ? out() : err(), err())
            .send(request, services, skipOtherNodes);
    if (sent.response() == null) {
      return sent.exitCode();
    }
    AgentProto.ApplyResponse response = sent.response();
    if (format.isDocument()) {
      out().println(format.document(response));
    } else if (format == OutputFormat.NAME) {
      response.getChangesList().forEach(c -> out().println("service/" + c.getService()));
    } else {
      ApplyOutput.print(response, out());
    }
    out().flush();
    if (!await) {
      return ExitCodes.OK;
    }
    List<ConvergenceWait.Target> targets = new ArrayList<>();
    for (AgentProto.ServiceChange change : response.getChangesList()) {
      // Unchanged services are waited for too: --wait promises that what the files declare runs.
      if (change.getKind() != AgentProto.ServiceChange.Kind.PRUNED) {
        targets.add(new ConvergenceWait.Target(change.getService(), change.getGeneration()));
      }
    }
    Duration limit = client().timeoutGiven() == null ? DEFAULT_WAIT : client().timeoutGiven();
    return new ConvergenceWait(
            agent,
            environment().clock(),
            format == OutputFormat.TABLE ? out() : err(),
            err(),
            limit,
            ConvergenceWait.POLL_INTERVAL)
        .await(targets);
  }

  /** The formats of apply and rollback: their answer, or the services it names. */
  static final Set<OutputFormat> ANSWERS =
      EnumSet.of(OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.YAML, OutputFormat.NAME);

  @Override
  UnaryOperator<String> errorPaths() {
    return new ServicePaths(services);
  }
}
