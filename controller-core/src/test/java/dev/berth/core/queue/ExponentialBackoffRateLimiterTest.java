package dev.berth.core.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExponentialBackoffRateLimiterTest {

  private final ExponentialBackoffRateLimiter<String> limiter =
      new ExponentialBackoffRateLimiter<>();

  @Test
  void defaultsAreFiveMillisecondsDoublingUpToAThousandSeconds() {
    assertThat(ExponentialBackoffRateLimiter.DEFAULT_BASE_DELAY).isEqualTo(Duration.ofMillis(5));
    assertThat(ExponentialBackoffRateLimiter.DEFAULT_MAX_DELAY).isEqualTo(Duration.ofSeconds(1000));
  }

  @Test
  void eachFailureDoublesTheDelay() {
    assertThat(limiter.when("a")).isEqualTo(Duration.ofMillis(5));
    assertThat(limiter.when("a")).isEqualTo(Duration.ofMillis(10));
    assertThat(limiter.when("a")).isEqualTo(Duration.ofMillis(20));
    assertThat(limiter.when("a")).isEqualTo(Duration.ofMillis(40));
  }

  @Test
  void theDelayStopsGrowingAtTheCap() {
    Duration last = Duration.ZERO;
    for (int i = 0; i < 40; i++) {
      last = limiter.when("a");
    }
    assertThat(last).isEqualTo(Duration.ofSeconds(1000));
  }

  @Test
  void aVeryLongStreakOfFailuresNeverOverflows() {
    for (int i = 0; i < 10_000; i++) {
      assertThat(limiter.when("a")).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1000));
    }
  }

  @Test
  void keysBackOffIndependently() {
    limiter.when("a");
    limiter.when("a");

    assertThat(limiter.when("b")).isEqualTo(Duration.ofMillis(5));
    assertThat(limiter.numRequeues("a")).isEqualTo(2);
    assertThat(limiter.numRequeues("b")).isEqualTo(1);
  }

  @Test
  void forgetStartsTheKeyOverFromTheBaseDelay() {
    limiter.when("a");
    limiter.when("a");

    limiter.forget("a");

    assertThat(limiter.numRequeues("a")).isZero();
    assertThat(limiter.when("a")).isEqualTo(Duration.ofMillis(5));
  }

  @Test
  void nonsensicalSettingsAreRejected() {
    assertThatThrownBy(
            () -> new ExponentialBackoffRateLimiter<>(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageContaining("base delay must be positive");
    assertThatThrownBy(
            () -> new ExponentialBackoffRateLimiter<>(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("below the base delay");
  }
}
