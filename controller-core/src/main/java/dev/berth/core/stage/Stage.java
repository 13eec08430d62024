package dev.berth.core.stage;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One step of an ordered start-up.
 *
 * @param name shown in progress and events
 * @param members which keys belong to this stage (the first stage that claims a key owns it)
 * @param readiness when the stage counts as up
 * @param timeout how long the stage may take from the moment it is admitted; null for no limit
 * @param required if true, later stages wait for readiness however long it takes (the stage is
 *     reported failed after its timeout, and still passes as soon as it becomes ready); if false,
 *     later stages proceed after the timeout
 * @param <K> the key type
 */
public record Stage<K>(
    String name,
    Predicate<? super K> members,
    ReadinessCheck readiness,
    Duration timeout,
    boolean required) {

  /** Checks that name, members and readiness are given and the timeout is not negative. */
  public Stage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(members, "members");
    Objects.requireNonNull(readiness, "readiness");
    if (timeout != null && timeout.isNegative()) {
      throw new IllegalArgumentException("stage " + name + ": timeout must not be negative");
    }
  }
}
