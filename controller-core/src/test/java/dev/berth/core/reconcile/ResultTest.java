package dev.berth.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResultTest {

  @Test
  void doneAsksForNothingMore() {
    assertThat(Result.done().requeueDelay()).isEmpty();
  }

  @Test
  void requeueAfterCarriesItsDelay() {
    assertThat(Result.requeueAfter(Duration.ofSeconds(3)).requeueDelay())
        .contains(Duration.ofSeconds(3));
  }

  @Test
  void backingOffCarriesItsDelayAndSaysSo() {
    Result result = Result.backingOff(Duration.ofSeconds(3));

    assertThat(result.requeueDelay()).contains(Duration.ofSeconds(3));
    assertThat(result.backingOff()).isTrue();
    assertThat(Result.requeueAfter(Duration.ofSeconds(3)).backingOff()).isFalse();
  }

  @Test
  void aNegativeDelayIsRejected() {
    assertThatThrownBy(() -> Result.requeueAfter(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be negative");
  }
}
