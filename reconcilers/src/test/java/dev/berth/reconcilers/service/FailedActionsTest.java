package dev.berth.reconcilers.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.queue.ExponentialBackoffRateLimiter;
import dev.berth.reconcilers.node.BerthNode;
import dev.berth.runtime.RuntimeFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** When a component whose action failed may be tried again, with the node's default backoff. */
class FailedActionsTest {

  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  static final RuntimeFailure TAKEN =
      new RuntimeFailure(RuntimeFailure.Reason.PORT_TAKEN, "port 8080 is taken", (String) null);

  final FailedActions failures =
      new FailedActions(
          ExponentialBackoffRateLimiter.DEFAULT_BASE_DELAY, BerthNode.DEFAULT_RETRY_MAX);

  FailedActions.Failure fail(Instant at) {
    return failures.failed("shop", "web", 1, "create shop_web", TAKEN, at);
  }

  @Test
  void aFailedComponentWaits5msThenTwiceAsLongEachTimeUpTo5Minutes() {
    Duration expected = Duration.ofMillis(5);
    Instant now = T0;
    for (int i = 1; i <= 20; i++) {
      FailedActions.Failure failure = fail(now);

      assertThat(failure.failures()).isEqualTo(i);
      assertThat(Duration.between(now, failure.retryAt())).isEqualTo(expected);
      assertThat(failures.waiting("shop", "web", 1, failure.retryAt().minusNanos(1))).isPresent();
      assertThat(failures.waiting("shop", "web", 1, failure.retryAt())).isEmpty();
      now = failure.retryAt();
      expected = min(expected.multipliedBy(2), Duration.ofMinutes(5));
    }
  }

  @Test
  void aChangedDeclarationIsNotHeldBackByTheFailuresOfTheLastOne() {
    fail(T0);

    assertThat(failures.waiting("shop", "web", 2, T0)).isEmpty();
    assertThat(failures.failed("shop", "web", 2, "create shop_web", TAKEN, T0).failures())
        .isEqualTo(1);
  }

  @Test
  void aComponentWithNothingLeftToDoStartsAfresh() {
    fail(T0);
    fail(T0);

    failures.settled("shop", Set.of("db"));

    assertThat(failures.waiting("shop", "web", 1, T0)).isEmpty();
    assertThat(fail(T0).failures()).isEqualTo(1);
  }

  @Test
  void recoverForgetsEveryFailure() {
    fail(T0);

    failures.forgetAll();

    assertThat(failures.waiting("shop", "web", 1, T0)).isEmpty();
  }

  static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
