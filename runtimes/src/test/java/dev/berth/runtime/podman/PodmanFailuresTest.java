package dev.berth.runtime.podman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** podman 4.3.1's real exit codes and messages, and the reasons they give. */
class PodmanFailuresTest {

  static Stream<Arguments> podmanSays() {
    return Stream.of(
        arguments(
            126,
            "Error: cannot listen on the TCP port: listen tcp4 127.0.0.1:18090: bind: address already in use",
            Reason.PORT_TAKEN),
        arguments(
            125,
            "Error: no container with name or ID \"nosuch\" found: no such container",
            Reason.NOT_FOUND),
        arguments(125, "Error: inspecting object: no such container nosuch", Reason.NOT_FOUND),
        arguments(125, "Error: localhost/nope:1: image not known", Reason.IMAGE_MISSING),
        arguments(
            125,
            "Error: unable to connect to Podman socket: dial unix /run/podman/podman.sock: connect: no such file or directory",
            Reason.UNAVAILABLE),
        // a name clash: PodmanRuntime.run then looks at whose container holds the name
        arguments(
            125,
            "Error: creating container storage: the container name \"c1\" is already in use by d4900aa86e5b. You have to remove that container to be able to reuse that name: that name is already in use",
            Reason.NAME_IN_USE),
        arguments(
            127,
            "Error: runc: runc create failed: unable to start container process: exec: \"/nonexistent\": stat /nonexistent: no such file or directory: OCI runtime attempted to invoke a command that was not found",
            Reason.INVALID_SPEC),
        arguments(
            126,
            "Error: unable to find user nosuchuser: no matching entries in passwd file",
            Reason.INVALID_SPEC),
        arguments(125, "Error: invalid value for memory: invalid size: 'abc'", Reason.INVALID_SPEC),
        arguments(
            125,
            "Error: running container create option: \"bogus\" is not a valid restart policy: invalid argument",
            Reason.INVALID_SPEC),
        arguments(
            125,
            "Error: parsing host port: port numbers must be between 1 and 65535 (inclusive), got 99999",
            Reason.INVALID_SPEC),
        arguments(
            125,
            "Error: running container create option: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument",
            Reason.INVALID_SPEC),
        arguments(125, "Error: invalid reference format", Reason.INVALID_SPEC),
        arguments(
            125,
            "Error: no command or entrypoint provided, and no CMD or ENTRYPOINT from image",
            Reason.INVALID_SPEC),
        arguments(125, "Error: unknown flag: --bogus", Reason.INVALID_SPEC),
        // a directory that may appear later: retry
        arguments(125, "Error: statfs /nonexistent/dir: no such file or directory", Reason.FAILED),
        // a network someone may create: retry
        arguments(
            125,
            "Error: unable to find network with name or ID nonet: network not found",
            Reason.FAILED),
        // the sandbox's rlimits without the containers.conf: the environment, not the spec
        arguments(
            126,
            "Error: runc: runc create failed: unable to start container process: error during container init: error setting rlimits for ready process: error setting rlimit type 7: operation not permitted: OCI permission denied",
            Reason.FAILED));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @MethodSource("podmanSays")
  void reasons(int exitCode, String stderr, Reason reason) {
    assertThat(PodmanFailures.reason(exitCode, stderr)).isEqualTo(reason);
  }

  @Test
  void theFailureCarriesPodmansErrorLinesNotItsRetryChatter() {
    CommandResult pull =
        new CommandResult(
            List.of("run", "web"),
            125,
            "",
            """
            time="2026-11-22T01:58:20Z" level=warning msg="Failed, retrying in 1s ... (1/3)."
            Error: localhost/nope:1: image not known
            """);

    RuntimeFailure failure = PodmanFailures.of("podman run web", pull);

    assertThat(failure.reason()).isEqualTo(Reason.IMAGE_MISSING);
    assertThat(failure.runtimeMessage()).isEqualTo("Error: localhost/nope:1: image not known");
    assertThat(failure.getMessage())
        .isEqualTo("podman run web failed: Error: localhost/nope:1: image not known");
  }

  @Test
  void withoutAnErrorLineAllOfStandardErrorIsTheMessage() {
    CommandResult result = new CommandResult(List.of("ps"), 2, "", "  something odd\n");

    assertThat(result.message()).isEqualTo("something odd");
    assertThat(new CommandResult(List.of("ps"), 2, "", "").message()).isEqualTo("exit code 2");
  }
}
