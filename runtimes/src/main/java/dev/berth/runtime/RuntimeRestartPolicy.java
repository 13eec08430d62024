package dev.berth.runtime;

/**
 * What the runtime itself does when a workload exits (podman's {@code --restart}); the spec's
 * {@code RestartPolicy} says what Berth does, and is mapped onto this.
 */
public enum RuntimeRestartPolicy {
  /** Never restarted by the runtime. */
  NO("no"),
  /** Restarted by the runtime whenever it exits. */
  ALWAYS("always"),
  /** Restarted by the runtime when it exits with a non-zero status. */
  ON_FAILURE("on-failure"),
  /** Restarted by the runtime whenever it exits, unless it was stopped on purpose. */
  UNLESS_STOPPED("unless-stopped");

  private final String podmanName;

  RuntimeRestartPolicy(String podmanName) {
    this.podmanName = podmanName;
  }

  /** The spelling podman's {@code --restart} takes. */
  public String podmanName() {
    return podmanName;
  }
}
