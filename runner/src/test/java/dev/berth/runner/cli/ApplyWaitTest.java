package dev.berth.runner.cli;

import static dev.berth.runner.cli.Services.declared;
import static dev.berth.runner.cli.Services.event;
import static dev.berth.runner.cli.Services.running;
import static dev.berth.runner.cli.Services.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.berth.proto.v1.AgentProto;
import dev.berth.proto.v1.AgentProto.ServiceChange.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** apply --wait: progress, convergence, failures confirmed before they count, and time limits. */
class ApplyWaitTest extends FakeAgentTest {

  private Path file;

  @BeforeEach
  void helloFile() throws Exception {
    file = Files.writeString(dir.resolve("hello.toml"), ServiceFilesFixture.HELLO);
  }

  private void applied(Kind kind, long generation) {
    agent.apply =
        AgentProto.ApplyResponse.newBuilder()
            .addChanges(
                AgentProto.ServiceChange.newBuilder()
                    .setService("hello")
                    .setKind(kind)
                    .setGeneration(generation))
            .build();
  }

  private static AgentProto.Service creating(long generation) {
    return declared("hello", generation, "web")
        .addComponents(status("web", "creating", generation).setMessage("not on the node"))
        .build();
  }

  private static AgentProto.Service crashLooping(long observed, long generation, int restarts) {
    return declared("hello", generation, "web")
        .addComponents(
            status("web", "CrashLoopBackOff", observed)
                .setMessage("restarted " + restarts + " times (last exited with code 1)"))
        .addEvents(event("hello", "web", "Warning", "Exited", "3f2a exited with code 1"))
        .build();
  }

  @Test
  void progressLinesThenASummaryWhenEveryComponentRuns() {
    applied(Kind.CREATED, 1);
    agent.answers(
        "hello", declared("hello", 1, "web").build(), creating(1), running("hello", 1, "web"));

    Cli.Run run = cli.run("apply", "-f", file.toString(), "--wait");

    assertThat(run.exitCode()).isZero();
    assertThat(run.outLines())
        .hasSize(5)
        .startsWith(
            "hello created (generation 1)",
            "hello/web: creating (not on the node)",
            "hello/web: creating -> running",
            "hello converged");
    assertThat(run.outLines().get(4)).matches("1 service converged in \\d+\\.\\d s");
  }

  @Test
  void aCrashLoopSeenTwiceFailsWithTheServicesLastEvents() {
    applied(Kind.CREATED, 1);
    agent.answers("hello", creating(1), crashLooping(1, 1, 3), crashLooping(1, 1, 4));

    Cli.Run run = cli.run("apply", "-f", file.toString(), "--wait");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.out()).contains("hello/web: creating -> CrashLoopBackOff (restarted 3 times");
    assertThat(run.err())
        .matches(
            "(?s)error: hello failed after \\d+\\.\\d s: web: CrashLoopBackOff \\(restarted 4 times"
                + " \\(last exited with code 1\\)\\)\n"
                + "Last events of hello:\n"
                + "  2024-05-01T12:00:01Z  Warning  hello/web  Exited: 3f2a exited with code 1\n");
  }

  @Test
  void aTerminalRuntimeFailureFailsAtOnceWithItsReasonInsteadOfWaitingForTheTimeout() {
    applied(Kind.CREATED, 1);
    AgentProto.Service missing =
        declared("hello", 1, "web")
            .addComponents(
                status("web", "ImageMissing", 1)
                    .setTerminal(true)
                    .setMessage("ensure image localhost/hello:1 failed: image not known"))
            .addEvents(
                event("hello", "web", "Warning", "Failed", "ensure image localhost/hello:1: ..."))
            .build();
    agent.answers("hello", creating(1), missing, missing);

    Cli.Run run = cli.run("apply", "-f", file.toString(), "--wait", "--timeout", "5m");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.out())
        .contains(
            "hello/web: creating -> ImageMissing (ensure image localhost/hello:1 failed: image not"
                + " known)");
    assertThat(run.err())
        .startsWith("error: hello failed after ")
        .contains(": web: ImageMissing (ensure image localhost/hello:1 failed: image not known)\n")
        .contains("Warning  hello/web  Failed: ensure image localhost/hello:1: ...");
  }

  @Test
  void aFailureSeenOnceIsNotAFailure() {
    applied(Kind.CREATED, 1);
    agent.answers("hello", crashLooping(1, 1, 1), running("hello", 1, "web"));

    Cli.Run run = cli.run("apply", "-f", file.toString(), "--wait");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("hello converged");
  }

  @Test
  void whatThePreviousGenerationReportedIsNeitherProgressNorFailure() {
    applied(Kind.UPDATED, 2);
    agent.answers(
        "hello",
        running("hello", 1, "web").toBuilder().setGeneration(2).build(),
        crashLooping(1, 2, 5),
        crashLooping(1, 2, 6),
        running("hello", 2, "web"));

    Cli.Run run = cli.run("apply", "-f", file.toString(), "--wait");

    assertThat(run.exitCode()).isZero();
    assertThat(run.outLines())
        .startsWith("hello updated (generation 2)", "hello/web: running", "hello converged");
    assertThat(run.out()).doesNotContain("CrashLoopBackOff");
  }

  @Test
  void runningOutOfTimeExits7AndSaysWhatWasAwaited() {
    applied(Kind.CREATED, 1);
    agent.answers(
        "hello",
        creating(1).toBuilder()
            .addEvents(event("hello", "web", "Normal", "Pulling", "docker.io/library/nginx:1.27"))
            .build());

    Cli.Run run = cli.run("apply", "-f", file.toString(), "--wait", "--timeout", "1s");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.TIMED_OUT);
    assertThat(run.err())
        .isEqualTo(
            "error: timed out after 1s; still waiting for hello\n"
                + "hello: web: creating (not on the node)\n"
                + "Last events of hello:\n"
                + "  2024-05-01T12:00:01Z  Normal   hello/web  Pulling: docker.io/library/nginx:1.27\n");
  }

  @Test
  void unchangedServicesAreWaitedForAndPrunedOnesAreNot() throws Exception {
    agent.apply =
        AgentProto.ApplyResponse.newBuilder()
            .addChanges(
                AgentProto.ServiceChange.newBuilder()
                    .setService("db")
                    .setKind(Kind.UNCHANGED)
                    .setGeneration(2))
            .addChanges(
                AgentProto.ServiceChange.newBuilder()
                    .setService("hello")
                    .setKind(Kind.UNCHANGED)
                    .setGeneration(1))
            .addChanges(
                AgentProto.ServiceChange.newBuilder().setService("old").setKind(Kind.PRUNED))
            .build();
    agent.answers("db", running("db", 2, "postgres"));
    agent.answers("hello", running("hello", 1, "web"));

    Cli.Run run =
        cli.run("apply", "-f", ServiceFilesFixture.goodDirectory(dir, "s").toString(), "--wait");

    assertThat(run.exitCode()).isZero();
    assertThat(agent.requests(AgentProto.GetServiceRequest.class))
        .extracting(AgentProto.GetServiceRequest::getName)
        .containsExactly("db", "hello");
    assertThat(run.outLines()).last().asString().startsWith("2 services converged in ");
  }

  @Test
  void aServiceDeclaredStoppedConvergesWhenStopped() {
    applied(Kind.UPDATED, 3);
    AgentProto.Service.Builder stopped =
        declared("hello", 3, "web")
            .addComponents(status("web", "stopped", 3))
            .addConditions(Services.converged());
    stopped.getSpecBuilder().setDesiredState("stopped");
    AgentProto.Service.Builder stopping =
        declared("hello", 3, "web").addComponents(status("web", "stopping", 3));
    stopping.getSpecBuilder().setDesiredState("stopped");
    agent.answers("hello", stopping.build(), stopped.build());

    Cli.Run run = cli.run("apply", "-f", file.toString(), "--wait");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("hello/web: stopping -> stopped\nhello converged\n");
  }

  @Test
  void withJsonStdoutHoldsOnlyTheResponseAndProgressGoesToStderr() throws Exception {
    applied(Kind.CREATED, 1);
    agent.answers("hello", running("hello", 1, "web"));

    Cli.Run run = cli.run("apply", "-f", file.toString(), "--wait", "--json");

    assertThat(run.exitCode()).isZero();
    AgentProto.ApplyResponse.Builder parsed = AgentProto.ApplyResponse.newBuilder();
    JsonFormat.parser().merge(run.out(), parsed);
    assertThat(parsed.build()).isEqualTo(agent.apply);
    assertThat(run.err()).contains("hello converged").contains("1 service converged in ");
  }

  @Test
  void aServiceDeletedWhileWaitingExits4() {
    applied(Kind.CREATED, 1);

    Cli.Run run = cli.run("apply", "-f", file.toString(), "--wait");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(run.err()).isEqualTo("error: no service named \"hello\"\n");
  }
}
