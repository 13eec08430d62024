package dev.berth.core.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.time.ManualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaxOfRateLimiterTest {

  private final ExponentialBackoffRateLimiter<String> perKey =
      new ExponentialBackoffRateLimiter<>(Duration.ofMillis(5), Duration.ofSeconds(1000));
  private final TokenBucketRateLimiter<String> global =
      new TokenBucketRateLimiter<>(1, 1, new ManualClock());
  private final MaxOfRateLimiter<String> limiter = new MaxOfRateLimiter<>(List.of(perKey, global));

  @Test
  void theLongestDelayWins() {
    assertThat(limiter.when("a"))
        .as("bucket has a token; backoff says 5 ms")
        .isEqualTo(Duration.ofMillis(5));
    assertThat(limiter.when("b"))
        .as("bucket is empty: one second")
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void everyLimiterRecordsTheFailure() {
    limiter.when("a");
    limiter.when("a");

    assertThat(perKey.numRequeues("a")).isEqualTo(2);
    assertThat(limiter.numRequeues("a")).isEqualTo(2);
  }

  @Test
  void forgetReachesEveryLimiter() {
    limiter.when("a");

    limiter.forget("a");

    assertThat(perKey.numRequeues("a")).isZero();
  }
}
