package dev.berth.spec.model;

/** What the runtime does when a component exits; podman's names. */
public enum RestartPolicy {
  NO("no"),
  ALWAYS("always"),
  ON_FAILURE("on-failure"),
  UNLESS_STOPPED("unless-stopped");

  private final String wire;

  RestartPolicy(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}
