package dev.berth.runner.cli;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Turns a failed call into what the user reads ({@code error: <message>} on stderr) and the exit
 * code ({@link ExitCodes#forStatus}). The one place where gRPC's status codes meet the CLI's.
 */
public final class AgentErrors {

  private static final Pattern SYSTEM_CALL =
      Pattern.compile("^\\w+\\(\\.\\.\\) failed( with error\\(-?\\d+\\))?: ");

  private AgentErrors() {}

  /**
   * Prints the failure and returns its exit code.
   *
   * @param target where the agent was looked for, for "cannot reach" messages
   * @param timeout the deadline the call had, for "did not answer" messages
   * @param paths rewrites field paths in the agent's messages (apply maps {@code services[1]} to
   *     the file it came from); identity elsewhere
   */
  public static int report(
      StatusRuntimeException e,
      String target,
      Duration timeout,
      UnaryOperator<String> paths,
      PrintWriter err) {
    List<String> lines = describe(e, target, timeout, paths);
    err.println("error: " + lines.get(0));
    lines.subList(1, lines.size()).forEach(line -> err.println("  " + line));
    err.flush();
    return ExitCodes.forStatus(e.getStatus().getCode());
  }

  /** The message, first line first; more lines when the agent listed several violations. */
  static List<String> describe(
      StatusRuntimeException e, String target, Duration timeout, UnaryOperator<String> paths) {
    Status status = e.getStatus();
    String description = status.getDescription();
    switch (status.getCode()) {
      case UNAVAILABLE:
        if (status.getCause() == null && description != null) {
          // The agent itself answered UNAVAILABLE (a runtime that failed, the agent stopping):
          // a cause only exists on this side, for a connection that failed.
          return List.of(description);
        }
        return List.of("cannot reach the Berth agent at " + target + ": " + unavailable(status));
      case DEADLINE_EXCEEDED:
        return List.of(
            "the agent at " + target + " did not answer within " + Durations.written(timeout));
      case UNAUTHENTICATED:
        return List.of(
            "not authenticated by the agent: "
                + (description == null ? "a client certificate or token is needed" : description));
      case PERMISSION_DENIED:
        return List.of(
            "not allowed by the agent: "
                + (description == null ? "permission denied" : description));
      case UNIMPLEMENTED:
        return List.of(
            "the agent at "
                + target
                + " does not know this request: is it an older version than this CLI?");
      default:
        break;
    }
    List<String> violations = violations(e, paths);
    if (violations.size() > 1) {
      List<String> lines = new ArrayList<>();
      lines.add(violations.size() + " problems:");
      lines.addAll(violations);
      return lines;
    }
    if (violations.size() == 1) {
      return violations;
    }
    if (description == null || description.isBlank()) {
      return List.of(status.getCode().name().toLowerCase().replace('_', ' '));
    }
    return List.of(paths.apply(description));
  }

  /**
   * Why the agent is unreachable. gRPC says only "io exception" when the connection failed; the
   * cause says which (connection refused, no route to host).
   */
  private static String unavailable(Status status) {
    Throwable root = status.getCause();
    while (root != null && root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != null && root.getMessage() != null) {
      // Netty prefixes the system call: "connect(..) failed with error(-111): Connection refused".
      return SYSTEM_CALL.matcher(root.getMessage()).replaceFirst("");
    }
    return status.getDescription() == null ? "unavailable" : status.getDescription();
  }

  /** The BadRequest field violations the agent attached, as {@code path: rule}. */
  private static List<String> violations(StatusRuntimeException e, UnaryOperator<String> paths) {
    com.google.rpc.Status details = StatusProto.fromThrowable(e);
    List<String> out = new ArrayList<>();
    if (details == null) {
      return out;
    }
    for (Any detail : details.getDetailsList()) {
      if (!detail.is(BadRequest.class)) {
        continue;
      }
      try {
        for (BadRequest.FieldViolation v :
            detail.unpack(BadRequest.class).getFieldViolationsList()) {
          out.add(
              paths.apply(
                  v.getField().isEmpty()
                      ? v.getDescription()
                      : v.getField() + ": " + v.getDescription()));
        }
      } catch (InvalidProtocolBufferException malformed) {
        // A detail we cannot read adds nothing; the status message still says what is wrong.
      }
    }
    return out;
  }
}
