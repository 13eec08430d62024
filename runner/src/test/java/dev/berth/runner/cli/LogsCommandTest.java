package dev.berth.runner.cli;

import static dev.berth.runner.cli.Services.declared;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.proto.v1.AgentProto;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LogsCommandTest extends FakeAgentTest {

  private static AgentProto.LogLine line(String component, String text) {
    return AgentProto.LogLine.newBuilder().setComponent(component).setLine(text).build();
  }

  @Test
  void linesOfAServiceWithSeveralComponentsArePrefixedInOneColumn() {
    agent.answers("hello", declared("hello", 1, "web", "worker").build());
    agent.logLines = List.of(line("web", "GET / 200"), line("worker", "job 1 done"));

    Cli.Run run = cli.run("logs", "hello");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("web    | GET / 200\nworker | job 1 done\n");
    assertThat(agent.requests(AgentProto.LogsRequest.class))
        .containsExactly(AgentProto.LogsRequest.newBuilder().setService("hello").build());
  }

  @Test
  void linesOfOneComponentAreAsWritten() {
    agent.logLines = List.of(line("web", "GET / 200"));

    Cli.Run run = cli.run("logs", "hello", "web", "-n", "50");

    assertThat(run.out()).isEqualTo("GET / 200\n");
    assertThat(agent.requests(AgentProto.GetServiceRequest.class)).isEmpty();
    assertThat(agent.requests(AgentProto.LogsRequest.class))
        .containsExactly(
            AgentProto.LogsRequest.newBuilder()
                .setService("hello")
                .setComponent("web")
                .setTail(50)
                .build());
  }

  @Test
  void aServiceOfOneComponentNeedsNoPrefix() {
    agent.answers("hello", declared("hello", 1, "web").build());
    agent.logLines = List.of(line("web", "ready"));

    assertThat(cli.run("logs", "hello").out()).isEqualTo("ready\n");
  }

  @Test
  void minusOneAsksForEveryLineKept() {
    agent.answers("hello", declared("hello", 1, "web").build());

    cli.run("logs", "hello", "-n", "-1");

    assertThat(agent.requests(AgentProto.LogsRequest.class).get(0).getTail()).isEqualTo(-1);
  }

  @Test
  void zeroLinesCannotBeAskedFor() {
    Cli.Run run = cli.run("logs", "hello", "-n", "0");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).startsWith("error: -n must be -1 (every line kept) or at least 1, was 0");
    assertThat(agent.requests).isEmpty();
  }

  @Test
  void anUnknownServiceExits4() {
    Cli.Run run = cli.run("logs", "nope");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(agent.requests(AgentProto.LogsRequest.class)).isEmpty();
  }

  @Test
  void aComponentWithoutWorkloadIsRefusedWithExit1() {
    agent.fail("Logs", Status.FAILED_PRECONDITION.withDescription("web runs no workload"));

    Cli.Run run = cli.run("logs", "hello", "web");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err()).isEqualTo("error: web runs no workload\n");
  }

  @Test
  void ctrlCEndsAFollowCleanlyAndCancelsTheStream() throws Exception {
    ManualStopSignal ctrlC = new ManualStopSignal();
    agent.logLines = List.of(line("web", "first"), line("web", "second"));

    Cli.Running running = cli.withStopSignal(ctrlC).start("logs", "hello", "web", "-f");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> running.outSoFar().equals("first\nsecond\n"));
    assertThat(ctrlC.armed()).isTrue();
    ctrlC.stop();
    Cli.Run run = running.await();

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(agent.streamCancelled.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(agent.requests(AgentProto.LogsRequest.class).get(0).getFollow()).isTrue();
    assertThat(ctrlC.armed()).as("the stop action is withdrawn after the stream").isFalse();
  }

  @Test
  void aFollowHasNoDeadline() throws Exception {
    ManualStopSignal ctrlC = new ManualStopSignal();

    Cli.Running running =
        cli.withStopSignal(ctrlC).start("logs", "hello", "web", "-f", "--timeout", "200ms");
    assertThat(agent.streamFollowing.await(10, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(600);
    ctrlC.stop();

    assertThat(running.await().exitCode()).isZero();
  }

  @Test
  void timestampsStartEachLineWithTheTimeItWasWritten() {
    agent.logLines =
        List.of(
            line("web", "GET / 200").toBuilder()
                .setTime(
                    com.google.protobuf.Timestamp.newBuilder()
                        .setSeconds(1714564800)
                        .setNanos(500_000_000))
                .build());

    Cli.Run run = cli.run("logs", "hello", "web", "--timestamps");

    assertThat(run.out()).isEqualTo("2024-05-01T12:00:00.500Z GET / 200\n");
    assertThat(agent.requests(AgentProto.LogsRequest.class).get(0).getTimestamps()).isTrue();
  }

  @Test
  void sinceAnRfc3339TimeAsksForTheLinesFromThen() {
    cli.run("logs", "hello", "web", "--since", "2024-05-01T14:00:00+02:00");

    AgentProto.LogsRequest sent = agent.requests(AgentProto.LogsRequest.class).get(0);
    assertThat(sent.getSince().getSeconds()).isEqualTo(1714564800L);
    assertThat(sent.getTimestamps()).isFalse();
  }

  @Test
  void sinceADurationAsksForTheLinesOfThatLongBackFromNow() {
    long now = java.time.Instant.now().getEpochSecond();

    cli.run("logs", "hello", "web", "--since", "10m");

    assertThat(agent.requests(AgentProto.LogsRequest.class).get(0).getSince().getSeconds())
        .isBetween(now - 600 - 5, now - 600 + 5);
  }

  @Test
  void aSinceThatIsNeitherADurationNorATimeIsAUsageError() {
    Cli.Run run = cli.run("logs", "hello", "web", "--since", "yesterday");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .contains(
            "--since must be a duration such as 10m or an RFC 3339 time such as"
                + " 2024-05-01T12:00:00Z, was \"yesterday\"");
    assertThat(agent.requests(AgentProto.LogsRequest.class)).isEmpty();
  }
}
