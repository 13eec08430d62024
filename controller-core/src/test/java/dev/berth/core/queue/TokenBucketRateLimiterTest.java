package dev.berth.core.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketRateLimiterTest {

  private final ManualClock clock = new ManualClock();
  private final TokenBucketRateLimiter<String> limiter = new TokenBucketRateLimiter<>(10, 3, clock);

  @Test
  void aBurstGoesAtOnce() {
    assertThat(limiter.when("a")).isZero();
    assertThat(limiter.when("b")).isZero();
    assertThat(limiter.when("c")).isZero();
  }

  @Test
  void beyondTheBurstRetriesAreSpacedAtTheRate() {
    for (int i = 0; i < 3; i++) {
      limiter.when("burst-" + i);
    }

    assertThat(limiter.when("d")).isEqualTo(Duration.ofMillis(100));
    assertThat(limiter.when("e")).isEqualTo(Duration.ofMillis(200));
    assertThat(limiter.when("f")).isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void tokensComeBackOverTimeUpToTheBurst() {
    for (int i = 0; i < 3; i++) {
      limiter.when("burst-" + i);
    }

    clock.advance(Duration.ofSeconds(10));

    for (int i = 0; i < 3; i++) {
      assertThat(limiter.when("again-" + i)).isZero();
    }
    assertThat(limiter.when("one-too-many")).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void itKeepsNoStatePerKey() {
    limiter.when("a");
    limiter.forget("a");

    assertThat(limiter.numRequeues("a")).isZero();
  }

  @Test
  void nonsensicalSettingsAreRejected() {
    assertThatThrownBy(() -> new TokenBucketRateLimiter<>(0, 1, clock))
        .hasMessageContaining("rate must be a positive number");
    assertThatThrownBy(() -> new TokenBucketRateLimiter<>(1, 0, clock))
        .hasMessageContaining("burst must be at least 1");
  }
}
