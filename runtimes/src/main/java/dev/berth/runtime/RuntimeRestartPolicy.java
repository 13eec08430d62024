package dev.berth.runtime;

/**
 * What the runtime itself does when a workload exits (podman's {@code --restart}); the spec's
 * {@code RestartPolicy} says what Berth does, and is mapped onto this.
 */
public enum RuntimeRestartPolicy {
  NO("no"),
  ALWAYS("always"),
  ON_FAILURE("on-failure"),
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
