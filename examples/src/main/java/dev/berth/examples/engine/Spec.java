package dev.berth.examples.engine;

import java.util.Objects;
import java.util.Optional;

/**
 * What is declared for one simulated service: the version it runs and how many replicas.
 *
 * @param version the version to run, such as {@code 1.4.2}
 * @param replicas how many replicas to run
 */
record Spec(String version, int replicas) {

  /** More than a small node would ever run of one service. */
  static final int MAX_REPLICAS = 64;

  Spec {
    Objects.requireNonNull(version, "version");
  }

  /** Why this spec can never run, if it cannot: no retry fixes that, only a new spec does. */
  Optional<String> problem() {
    if (version.isBlank()) {
      return Optional.of("version: must not be blank");
    }
    if (replicas < 0) {
      return Optional.of("replicas: must be at least 0, was " + replicas);
    }
    if (replicas > MAX_REPLICAS) {
      return Optional.of("replicas: " + replicas + " is above the node's limit of " + MAX_REPLICAS);
    }
    return Optional.empty();
  }

  boolean valid() {
    return problem().isEmpty();
  }

  /** The same spec one patch release later: 1.4.2 becomes 1.4.3. */
  Spec nextPatch() {
    int dot = version.lastIndexOf('.');
    int patch = Integer.parseInt(version.substring(dot + 1));
    return new Spec(version.substring(0, dot + 1) + (patch + 1), replicas);
  }

  Spec withReplicas(int replicas) {
    return new Spec(version, replicas);
  }
}
