package dev.berth.runtime;

/** What the runtime itself does when a workload exits. */
public enum RestartPolicy {
  NO("no"),
  ALWAYS("always"),
  ON_FAILURE("on-failure"),
  UNLESS_STOPPED("unless-stopped");

  private final String podmanName;

  RestartPolicy(String podmanName) {
    this.podmanName = podmanName;
  }

  /** The spelling podman's {@code --restart} takes. */
  public String podmanName() {
    return podmanName;
  }
}
