package dev.berth.runner.cli;

import io.grpc.Status;

/**
 * The exit codes of {@code berth}, the same for every command, so that scripts can tell "try again
 * later" (3) from "fix your input" (1) without reading messages.
 */
public final class ExitCodes {

  public static final int OK = 0;

  /** Invalid input, a refused request, a failure seen by {@code apply --wait}. */
  public static final int FAILED = 1;

  /** A command line picocli could not parse, or options that do not go together. */
  public static final int USAGE = 2;

  /** The agent cannot be reached: no socket, connection refused, the agent went away. */
  public static final int UNREACHABLE = 3;

  public static final int NOT_FOUND = 4;

  /** The request conflicts with what is declared (ABORTED): nothing was changed. */
  public static final int CONFLICT = 5;

  /** No valid certificate or token, or a certificate subject that is not allowed. */
  public static final int DENIED = 6;

  /** The agent did not answer in time, or {@code apply --wait} ran out of time. */
  public static final int TIMED_OUT = 7;

  /**
   * {@code berth diff}'s failure: there 1 means "something would change", as for {@code kubectl
   * diff}, so what every other command exits 1 with (a file error, a refused request) exits 8.
   */
  public static final int DIFF_FAILED = 8;

  /** The lines of the help footer, {@code code:description} as picocli's exitCodeList wants. */
  static final String[] HELP = {
    "0:ok",
    "1:failed: invalid input, a refused request, apply or rollback --wait saw a failure, validate"
        + " found errors",
    "2:usage error",
    "3:cannot reach the agent (no socket, connection refused)",
    "4:not found: no such service, no such generation in its history, or no service matches -l",
    "5:conflict: a route is claimed by another service, the service changed meanwhile, or"
        + " another source declared it (apply --take-over)",
    "6:not authenticated, or not allowed",
    "7:timed out (the agent did not answer, or apply or rollback --wait ran out of time)",
  };

  private ExitCodes() {}

  /** The exit code for a call that failed with {@code code}. */
  public static int forStatus(Status.Code code) {
    switch (code) {
      case OK:
        return OK;
      case UNAVAILABLE:
        return UNREACHABLE;
      case NOT_FOUND:
        return NOT_FOUND;
      case ABORTED:
      case ALREADY_EXISTS:
        return CONFLICT;
      case UNAUTHENTICATED:
      case PERMISSION_DENIED:
        return DENIED;
      case DEADLINE_EXCEEDED:
        return TIMED_OUT;
      default:
        // INVALID_ARGUMENT, FAILED_PRECONDITION, and the codes that mean a bug or a mismatched
        // agent (INTERNAL, UNIMPLEMENTED, UNKNOWN): the request failed and retrying will not help.
        return FAILED;
    }
  }
}
