package dev.berth.runtime;

/**
 * A runtime operation failed. The {@link Reason} tells a reconciler whether retrying can help;
 * {@link #runtimeMessage()} is what the runtime itself said, for the operator.
 */
public class RuntimeFailure extends RuntimeException {

  /** Why an operation failed, and whether trying again later can help. */
  public enum Reason {
    /** The runtime cannot be reached (daemon down, socket gone); retry. */
    UNAVAILABLE(true),
    /** The image is not on the node and may not or could not be fetched; needs an operator. */
    IMAGE_MISSING(false),
    /**
     * The program a process is to run does not exist or may not be executed; an operator must
     * install it (or fix its mode) first. The message names the path looked at.
     */
    EXECUTABLE_NOT_FOUND(false),
    /** A host port is in use by something else; retry (or allocate another). */
    PORT_TAKEN(true),
    /**
     * A secret file the workload is to get is missing or may not be used (its mode, its owner, its
     * content); an operator must fix the file. Found by whoever reads the secrets, before the
     * runtime is asked. The message names the file, never its content.
     */
    SECRET_UNUSABLE(false),
    /** The runtime refused the spec itself; retrying the same spec cannot help. */
    INVALID_SPEC(false),
    /**
     * The workload's name is held by a workload Berth does not own (no Berth labels): retrying
     * cannot help while it is there, and Berth never removes what it does not own (an operator
     * must). A name held by Berth's own workload is {@link #FAILED}: it is on its way out.
     */
    NAME_IN_USE(false),
    /** No such workload; look again before acting. */
    NOT_FOUND(false),
    /** Anything else; retry with backoff. */
    FAILED(true);

    private final boolean retryable;

    Reason(boolean retryable) {
      this.retryable = retryable;
    }

    /** Whether trying again later can help. */
    public boolean retryable() {
      return retryable;
    }
  }

  /** Why it failed. */
  private final Reason reason;

  /** What the runtime said, verbatim, or null. */
  private final String runtimeMessage;

  /**
   * A failure for {@code reason}: {@code message} says what Berth tried, {@code runtimeMessage} (or
   * null) what the runtime answered; the exception's message joins both.
   */
  public RuntimeFailure(Reason reason, String message, String runtimeMessage) {
    super(
        runtimeMessage == null || runtimeMessage.isBlank()
            ? message
            : message + ": " + runtimeMessage.strip());
    this.reason = reason;
    this.runtimeMessage = runtimeMessage;
  }

  /**
   * A failure for {@code reason}: {@code message} says what Berth tried, and {@code cause}'s
   * message counts as what the runtime answered.
   */
  public RuntimeFailure(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.runtimeMessage = cause == null ? null : cause.getMessage();
  }

  /** Why it failed. */
  public Reason reason() {
    return reason;
  }

  /** What the runtime said, verbatim (podman's stderr, QEMU's error), or null. */
  public String runtimeMessage() {
    return runtimeMessage;
  }

  /** Whether trying again later can help, as its reason says. */
  public boolean retryable() {
    return reason.retryable();
  }

  /** A {@link Reason#NOT_FOUND} failure: {@code runtime} has no workload {@code id}. */
  public static RuntimeFailure notFound(String runtime, String id) {
    return new RuntimeFailure(Reason.NOT_FOUND, runtime + ": no workload " + id, (String) null);
  }
}
