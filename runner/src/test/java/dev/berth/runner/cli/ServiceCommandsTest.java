package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proto.v1.AgentProto;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** stop, start, restart and delete: one call, one line, and the agent's refusals as exit codes. */
class ServiceCommandsTest extends FakeAgentTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "stop, StopService, hello stopped",
    "start, StartService, hello started",
    "restart, RestartService, hello restarted",
    "delete, DeleteService, hello deleted",
  })
  void eachCommandCallsItsMethodAndSaysWhatItDid(String command, String method, String said) {
    Cli.Run run = cli.run(command, "hello");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo(said + "\n");
    assertThat(agent.requests(AgentProto.ServiceRequest.class))
        .containsExactly(AgentProto.ServiceRequest.newBuilder().setName("hello").build());
  }

  @ParameterizedTest(name = "{0} of an unknown service exits 4")
  @CsvSource({
    "stop, StopService",
    "start, StartService",
    "restart, RestartService",
    "delete, DeleteService"
  })
  void anUnknownServiceExits4WithTheAgentsMessage(String command, String method) {
    agent.fail(method, Status.NOT_FOUND.withDescription("no service named \"hello\""));

    Cli.Run run = cli.run(command, "hello");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("error: no service named \"hello\"\n");
  }

  @ParameterizedTest(name = "{0} exits {1}")
  @CsvSource({
    "INVALID_ARGUMENT, 1, error: name: must be a DNS label",
    "FAILED_PRECONDITION, 1, error: name: must be a DNS label",
    "NOT_FOUND, 4, error: name: must be a DNS label",
    "ABORTED, 5, error: name: must be a DNS label",
    "UNAUTHENTICATED, 6, error: not authenticated by the agent: name: must be a DNS label",
    "PERMISSION_DENIED, 6, error: not allowed by the agent: name: must be a DNS label",
    "UNAVAILABLE, 3, error: name: must be a DNS label",
    "INTERNAL, 1, error: name: must be a DNS label",
  })
  void everyRefusalHasItsExitCodeAndOneErrorLine(Status.Code code, int exit, String message) {
    agent.fail(
        "RestartService", Status.fromCode(code).withDescription("name: must be a DNS label"));

    Cli.Run run = cli.run("restart", "hello");

    assertThat(run.exitCode()).isEqualTo(exit);
    assertThat(run.err()).isEqualTo(message + "\n");
  }

  @Test
  void unavailableFromTheAgentItselfIsPrintedInItsWords() {
    agent.fail(
        "RestartService",
        Status.UNAVAILABLE.withDescription("the runtime failed: podman: exit 125"));

    Cli.Run run = cli.run("restart", "hello");

    // Still exit 3 (try again later), but the agent was reached: it says what is unavailable.
    assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(run.err()).isEqualTo("error: the runtime failed: podman: exit 125\n");
  }
}
