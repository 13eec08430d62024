package dev.berth.core.testing;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * Waiting for another thread in tests: polls often, and the ceiling is generous so that a slow CI
 * machine only makes a test slower, never red. No test relies on something <em>not</em> happening
 * within a wall-clock window.
 */
public final class Eventually {

  private Eventually() {}

  public static ConditionFactory eventually() {
    return Awaitility.await()
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(2))
        .atMost(Duration.ofSeconds(30));
  }
}
