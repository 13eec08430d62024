package dev.berth.spec.model;

/** What the runtime does when a component exits; podman's names. */
public enum RestartPolicy {
  /** Never restarted. */
  NO("no"),
  /** Restarted whenever it exits. */
  ALWAYS("always"),
  /** Restarted when it exits with a non-zero status. */
  ON_FAILURE("on-failure"),
  /** Restarted whenever it exits, unless it was stopped on purpose. */
  UNLESS_STOPPED("unless-stopped");

  private final String wire;

  RestartPolicy(String wire) {
    this.wire = wire;
  }

  /** Its spelling in files and on the wire (podman's name). */
  public String wire() {
    return wire;
  }
}
