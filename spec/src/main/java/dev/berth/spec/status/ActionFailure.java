package dev.berth.spec.status;

/**
 * An action the runtime refused, as status shows it: one CamelCase word that is both the
 * component's state and the reason of its {@code Ready} condition ({@code ImageMissing}), and
 * whether it is terminal.
 *
 * <p>A terminal failure is one that waiting will not repair: an operator must act (bring the image,
 * remove the workload that holds the name, fix the spec). Berth still tries again with backoff
 * (except for a spec the runtime refuses, which waits for a new one), so the component recovers by
 * itself once the operator has acted. The others are retried until they pass.
 */
public enum ActionFailure implements ComponentState {
  /**
   * The image is not on the node and cannot be pulled (on a cluster: kubelet cannot pull it, or its
   * name is not a valid reference).
   */
  IMAGE_MISSING("ImageMissing", true),
  /** The workload's name is held by a workload that is not this registry's. */
  NAME_IN_USE("NameInUse", true),
  /** A process's executable does not exist or may not be executed. */
  NO_SUCH_EXECUTABLE("NoSuchExecutable", true),
  /**
   * A secret file the workload is to get is missing, or its mode, owner or content forbid its use
   * (on the node; a cluster has no secret files).
   */
  SECRET_UNUSABLE("SecretUnusable", true),
  /**
   * The runtime refuses the spec itself (on a cluster: kubelet cannot make the container's
   * configuration, {@code CreateContainerConfigError}).
   */
  INVALID_SPEC("InvalidSpec", true),
  /** A host port is in use by something else. */
  PORT_TAKEN("PortTaken", false),
  /** The runtime cannot be reached. */
  RUNTIME_DOWN("RuntimeDown", false),
  /** Anything else. */
  RUNTIME_FAILED("RuntimeFailed", false);

  /** The longest state the registry stores. */
  public static final int MAX_WORD = 16;

  private final String word;
  private final boolean terminal;

  ActionFailure(String word, boolean terminal) {
    this.word = word;
    this.terminal = terminal;
  }

  @Override
  public String wire() {
    return word;
  }

  /** The word is the reason too: the state says which failure, and so does Ready. */
  @Override
  public String readyReason() {
    return word;
  }

  /** Only a terminal failure is one that waiting will not repair. */
  @Override
  public boolean failure() {
    return terminal;
  }

  @Override
  public boolean terminal() {
    return terminal;
  }
}
