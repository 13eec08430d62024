package dev.berth.runner.cli;

import static dev.berth.runner.cli.Services.event;
import static dev.berth.runner.cli.Services.series;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.JsonFormat;
import dev.berth.proto.v1.AgentProto;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventsCommandTest extends FakeAgentTest {

  private static final AgentProto.Event CREATED =
      event("hello", "web", "Normal", "Created", "created container 3f2a");
  private static final AgentProto.Event BACKOFF =
      event("hello", "", "Warning", "RoutesFailed", "nginx -t failed");

  @Test
  void withoutFollowTheHistoryIsPrintedAndTheCommandEnds() {
    agent.events = List.of(CREATED, BACKOFF);

    Cli.Run run = cli.run("events");

    assertThat(run.exitCode()).isZero();
    assertThat(run.outLines())
        .containsExactly(
            "2024-05-01T12:00:01Z  Normal   hello/web  Created: created container 3f2a",
            "2024-05-01T12:00:01Z  Warning  hello  RoutesFailed: nginx -t failed");
    assertThat(agent.requests(AgentProto.WatchRequest.class))
        .containsExactly(
            AgentProto.WatchRequest.newBuilder().setHistory(20).setFollow(false).build());
  }

  @Test
  void anEventThatHappenedAgainShowsWhenItLastDidAndHowOftenSinceWhen() {
    agent.events =
        List.of(
            series(
                event("hello", "web", "Warning", "Failed", "port 8080 is taken"),
                5,
                Duration.ofSeconds(252)));

    assertThat(cli.run("events").outLines())
        .containsExactly(
            "2024-05-01T12:04:13Z  Warning  hello/web  Failed (x5 over 4m12s): port 8080 is taken");
  }

  @Test
  void oneServiceAndHowManyEvents() {
    cli.run("events", "hello", "-n", "5");

    assertThat(agent.requests(AgentProto.WatchRequest.class))
        .containsExactly(
            AgentProto.WatchRequest.newBuilder().setService("hello").setHistory(5).build());
  }

  @Test
  void noEventsSaysSo() {
    assertThat(cli.run("events", "hello").out()).isEqualTo("no events recorded for hello\n");
  }

  @Test
  void jsonIsOneEventPerLine() throws Exception {
    agent.events = List.of(CREATED, BACKOFF);

    Cli.Run run = cli.run("events", "--json");

    List<String> lines = run.outLines();
    assertThat(lines).hasSize(2);
    AgentProto.Event.Builder first = AgentProto.Event.newBuilder();
    JsonFormat.parser().merge(lines.get(0), first);
    assertThat(first.build()).isEqualTo(CREATED);
  }

  @Test
  void followKeepsTheStreamUntilCtrlC() throws Exception {
    ManualStopSignal ctrlC = new ManualStopSignal();
    agent.events = List.of(CREATED);

    Cli.Running running = cli.withStopSignal(ctrlC).start("events", "-f", "-n", "1");
    await().atMost(Duration.ofSeconds(10)).until(() -> running.outSoFar().contains("Created"));
    ctrlC.stop();
    Cli.Run run = running.await();

    assertThat(run.exitCode()).isZero();
    assertThat(agent.streamCancelled.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(agent.requests(AgentProto.WatchRequest.class).get(0).getFollow()).isTrue();
  }

  @Test
  void aNegativeCountIsAUsageError() {
    assertThat(cli.run("events", "-n", "-1").exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void yamlIsOneDocumentPerEvent() {
    agent.events = List.of(CREATED, BACKOFF);

    Cli.Run run = cli.run("events", "-o", "yaml");

    assertThat(run.out().split("(?m)^---$")).hasSize(3);
    assertThat(run.out()).startsWith("---\nservice: hello\n").contains("reason: Created\n");
  }

  @Test
  void eventsHaveNoWideTable() {
    Cli.Run run = cli.run("events", "-o", "wide");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).startsWith("error: berth events has no -o wide: use -o json or yaml");
  }
}
