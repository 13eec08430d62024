package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.JsonFormat;
import dev.berth.proto.v1.AgentProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Label selectors and event filters against a real agent (its own JVM, the process runtime), as
 * docs/cli.md describes them. One agent for the class; each test declares services of its own,
 * labelled {@code case=<the test's word>}, so that no test selects another's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LabelSelectorEndToEndTest {

  @TempDir static Path directory;
  Cli cli;
  AgentProcess agent;

  @BeforeAll
  void startAgent() throws IOException {
    AgentProcess.writeProcessAgentConfig(directory);
    cli = Cli.onSocket(directory.resolve("berth.sock"));
    agent = AgentProcess.start(directory);
  }

  @AfterAll
  void stopAgent() {
    if (agent != null) {
      agent.close(); // and the services' processes with it
    }
  }

  /**
   * Declares {@code name} with {@code labels} (TOML key = value lines): a shell that idles; its
   * command line names the test's directory, so that the agent's close finds its process.
   */
  Path declare(String name, String labels) throws IOException {
    return Files.writeString(
        directory.resolve(name + ".toml"),
        """
        name = "%s"

        [labels]
        %s

        [[components]]
        name = "app"
        runtime = "process"
        executable = "/bin/sh"
        cmd = ["-c", "echo %s up; while true; do sleep 0.2; done", "%s/%s"]
        restart = "always"
        """
            .formatted(name, labels, name, directory, name));
  }

  void apply(Path... files) {
    for (Path file : files) {
      Cli.Run run = cli.run("apply", "-f", file.toString());
      assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    }
  }

  List<String> selected(String selector) throws IOException {
    Cli.Run run = cli.run("status", "-l", selector, "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    AgentProto.ListServicesResponse.Builder all = AgentProto.ListServicesResponse.newBuilder();
    JsonFormat.parser().merge(run.out(), all);
    return all.getServicesList().stream().map(s -> s.getSpec().getName()).toList();
  }

  AgentProto.Service status(String name) throws IOException {
    Cli.Run run = cli.run("status", name, "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    AgentProto.Service.Builder service = AgentProto.Service.newBuilder();
    JsonFormat.parser().merge(run.out(), service);
    return service.build();
  }

  @Test
  void statusListsOnlyTheServicesWhoseLabelsMatch() throws IOException {
    apply(
        declare("list-shop", "case = \"list\"\ntier = \"web\"\nenv = \"prod\""),
        declare("list-blog", "case = \"list\"\ntier = \"web\"\nenv = \"staging\""),
        declare("list-db", "case = \"list\"\ntier = \"db\""));

    assertThat(selected("case=list,tier=web")).containsExactly("list-blog", "list-shop");
    assertThat(selected("case=list,env notin (prod)")).containsExactly("list-blog", "list-db");
    assertThat(selected("case=list,!env")).containsExactly("list-db");
  }

  @Test
  void statusOfOneServiceShowsItsLabels() throws IOException {
    apply(declare("show-web", "case = \"show\"\ntier = \"web\""));

    Cli.Run run = cli.run("status", "show-web");

    assertThat(run.out()).containsPattern("\\n\\s*labels\\s+case=show,tier=web\\n");
  }

  @Test
  void statusWithASelectorThatMatchesNothingSaysSoAndSucceeds() {
    Cli.Run run = cli.run("status", "-l", "case=nothing");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("no service matches -l case=nothing\n");
  }

  @Test
  void aMalformedSelectorIsAUsageErrorNamingTheOptionBeforeTheAgentIsAsked() {
    Cli.Run run = cli.run("status", "-l", "tier==");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .contains(
            "--selector: \"tier==\": a value must follow \"==\" (use KEY to select by the key alone)");
  }

  @Test
  void stopWithASelectorStopsEveryMatchingServiceAndSaysSoForEach() throws IOException {
    apply(
        declare("stop-shop", "case = \"stop\"\ntier = \"web\""),
        declare("stop-blog", "case = \"stop\"\ntier = \"web\""),
        declare("stop-db", "case = \"stop\"\ntier = \"db\""));

    Cli.Run run = cli.run("stop", "-l", "case=stop,tier=web");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("stop-blog stopped\nstop-shop stopped\n");
    assertThat(status("stop-shop").getSpec().getDesiredState()).isEqualTo("stopped");
    assertThat(status("stop-blog").getSpec().getDesiredState()).isEqualTo("stopped");
    assertThat(status("stop-db").getSpec().getDesiredState()).isEqualTo("running");
  }

  @Test
  void startWithASelectorStartsEveryMatchingService() throws IOException {
    apply(declare("start-a", "case = \"start\""), declare("start-b", "case = \"start\""));
    assertThat(cli.run("stop", "start-a", "start-b").out())
        .isEqualTo("start-a stopped\nstart-b stopped\n");

    Cli.Run run = cli.run("start", "-l", "case=start");

    assertThat(run.out()).isEqualTo("start-a started\nstart-b started\n");
    assertThat(status("start-a").getSpec().getDesiredState()).isEqualTo("running");
  }

  @Test
  void deleteWithASelectorDeletesOnlyTheMatchingServices() throws IOException {
    apply(
        declare("delete-old", "case = \"delete\"\nlegacy = \"yes\""),
        declare("delete-new", "case = \"delete\""));

    Cli.Run run = cli.run("delete", "-l", "case=delete,legacy");

    assertThat(run.out()).isEqualTo("delete-old deleted\n");
    assertThat(selected("case=delete")).containsExactly("delete-new");
  }

  @Test
  void restartWithASelectorReportsAServiceThatFailsAndStillRestartsTheOthers() throws IOException {
    apply(
        declare("restart-up", "case = \"restart\""), declare("restart-down", "case = \"restart\""));
    cli.run("stop", "restart-down");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status("restart-up").getComponents(0).getState().equals("running"));

    Cli.Run run = cli.run("restart", "-l", "case=restart");

    assertThat(run.out()).isEqualTo("restart-up restarted\n");
    assertThat(run.err()).isEqualTo("error: restart-down is declared stopped; start it instead\n");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
  }

  @Test
  void aSelectorThatMatchesNoServiceActsOnNothingAndExitsNotFound() {
    Cli.Run run = cli.run("stop", "-l", "case=nothing");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("error: no service matches -l case=nothing\n");
  }

  @Test
  void namesAndASelectorTogetherAreAUsageError() {
    Cli.Run run = cli.run("delete", "some-service", "-l", "case=x");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("give SERVICE names or -l SELECTOR, not both");
  }

  @Test
  void neitherNamesNorASelectorIsAUsageError() {
    Cli.Run run = cli.run("delete");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("give a SERVICE name or -l SELECTOR");
  }

  @Test
  void aChangeOfLabelsAloneIsANewGenerationThatRestartsNothing() throws IOException {
    Path file = declare("relabel", "case = \"relabel\"\ntier = \"web\"");
    apply(file);
    AgentProto.Service before =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> status("relabel"), s -> s.getComponents(0).getState().equals("running"));

    apply(declare("relabel", "case = \"relabel\"\ntier = \"edge\""));

    // Once the agent has looked at the new generation, the same workload still runs it.
    AgentProto.Service after =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> status("relabel"),
                s -> s.getComponents(0).getObservedGeneration() == before.getGeneration() + 1);
    assertThat(after.getSpec().getLabelsMap()).containsEntry("tier", "edge");
    assertThat(after.getComponents(0).getWorkloadId())
        .isEqualTo(before.getComponents(0).getWorkloadId());
    assertThat(after.getComponents(0).getStartedAt())
        .isEqualTo(before.getComponents(0).getStartedAt());
    assertThat(after.getComponents(0).getState()).isEqualTo("running");
  }

  @Test
  void eventsAreFilteredByTheAgentBySelectorReasonTypeAndComponent() throws IOException {
    apply(
        declare("events-web", "case = \"events\"\ntier = \"web\""),
        declare("events-db", "case = \"events\"\ntier = \"db\""));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status("events-db").getComponents(0).getState().equals("running"));

    Cli.Run db = cli.run("events", "-l", "case=events,tier=db", "--reason", "Created,Started");
    Cli.Run warnings = cli.run("events", "-l", "case=events", "--type", "Warning");
    Cli.Run all = cli.run("events", "-l", "case=events");
    Cli.Run component = cli.run("events", "-l", "case=events", "--component", "app");
    Cli.Run noComponent = cli.run("events", "-l", "case=events", "--component", "web");

    assertThat(db.outLines())
        .isNotEmpty()
        .allSatisfy(
            line -> assertThat(line).containsPattern(" events-db/app +(Created|Started): "));
    assertThat(warnings.out()).isEqualTo("no events match\n");
    assertThat(component.outLines())
        .isNotEmpty()
        .isEqualTo(all.outLines().stream().filter(line -> line.contains("/app ")).toList());
    assertThat(noComponent.out()).isEqualTo("no events match\n");
  }

  @Test
  void anUnknownEventTypeIsAUsageError() {
    Cli.Run run = cli.run("events", "--type", "Error");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--type must be Normal or Warning, was Error");
  }
}
