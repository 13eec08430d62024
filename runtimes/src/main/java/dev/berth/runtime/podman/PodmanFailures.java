package dev.berth.runtime.podman;

import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import java.util.List;
import java.util.Locale;

/**
 * Turns a failed podman command into a {@link RuntimeFailure}. podman's exit codes say little (125
 * for all of its own errors, 126 and 127 when the container's command cannot start), so its message
 * decides; the first rule that matches wins, and the failure always carries podman's own words.
 *
 * <p>The texts are podman 4.3's, checked against real runs (see {@code PodmanFailuresTest}).
 */
final class PodmanFailures {

  /**
   * One row of the table: the exit code (or any), and fragments of podman's message in lower case,
   * any of which gives the reason; no fragments means the exit code alone decides.
   */
  private record Rule(Reason reason, int exitCodeOrAny, List<String> fragments) {
    static final int ANY_EXIT_CODE = -1;

    boolean matches(int exitCode, String message) {
      return (exitCodeOrAny == ANY_EXIT_CODE || exitCodeOrAny == exitCode)
          && (fragments.isEmpty() || fragments.stream().anyMatch(message::contains));
    }
  }

  private static final List<Rule> RULES =
      List.of(
          // "cannot listen on the TCP port: listen tcp4 127.0.0.1:8080: bind: address already in
          // use"
          new Rule(Reason.PORT_TAKEN, Rule.ANY_EXIT_CODE, List.of("address already in use")),
          // "no container with name or ID "x" found: no such container" (start, stop, logs),
          // "inspecting object: no such container x" (container inspect)
          new Rule(
              Reason.NOT_FOUND,
              Rule.ANY_EXIT_CODE,
              List.of("no such container", "no container with name or id")),
          // "localhost/x:1: image not known" (run --pull=never, image inspect)
          new Rule(
              Reason.IMAGE_MISSING,
              Rule.ANY_EXIT_CODE,
              List.of("image not known", "no such image")),
          // a remote or socket-activated podman that does not answer
          new Rule(
              Reason.UNAVAILABLE,
              Rule.ANY_EXIT_CODE,
              List.of("cannot connect to podman", "unable to connect to podman")),
          // "the container name "x" is already in use by ID". Whose container holds it is not in
          // the message: PodmanRuntime.run looks, and makes it FAILED (retry) when it is Berth's
          // own on its way out.
          new Rule(Reason.NAME_IN_USE, Rule.ANY_EXIT_CODE, List.of("name is already in use")),
          // the OCI runtime could not find the container's command: the args name a program that
          // the image does not have
          new Rule(Reason.INVALID_SPEC, 127, List.of()),
          // "unable to find user x: no matching entries in passwd file" (exit code 126)
          new Rule(Reason.INVALID_SPEC, Rule.ANY_EXIT_CODE, List.of("unable to find user")),
          // podman's own validation of flags and values, before anything runs:
          // "invalid value for memory", "x is not a valid restart policy", "parsing host port: port
          // numbers must be between 1 and 65535", "names must match [a-zA-Z0-9]...",
          // "invalid reference format", "no command or entrypoint provided"
          new Rule(
              Reason.INVALID_SPEC,
              125,
              List.of(
                  "invalid",
                  "is not a valid",
                  "parsing",
                  "must be",
                  "must match",
                  "unknown flag",
                  "unknown shorthand flag",
                  "no command or entrypoint")));

  private PodmanFailures() {}

  /** The reason for a failure with this exit code and message; FAILED when no rule matches. */
  static Reason reason(int exitCode, String message) {
    String lower = message.toLowerCase(Locale.ROOT);
    return RULES.stream()
        .filter(rule -> rule.matches(exitCode, lower))
        .map(Rule::reason)
        .findFirst()
        .orElse(Reason.FAILED);
  }

  /** The failure of {@code what} (e.g. {@code "podman start web"}), as podman reported it. */
  static RuntimeFailure of(String what, CommandResult result) {
    String message = result.message();
    return new RuntimeFailure(reason(result.exitCode(), message), what + " failed", message);
  }
}
