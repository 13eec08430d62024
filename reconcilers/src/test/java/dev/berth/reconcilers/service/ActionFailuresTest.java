package dev.berth.reconcilers.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.spec.status.ActionFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The words runtime failures take in status, and which of them waiting cannot repair. */
class ActionFailuresTest {

  @ParameterizedTest(name = "{0} -> {1}, terminal {2}")
  @CsvSource({
    "IMAGE_MISSING, ImageMissing, true",
    "NAME_IN_USE, NameInUse, true",
    "EXECUTABLE_NOT_FOUND, NoSuchExecutable, true",
    "INVALID_SPEC, InvalidSpec, true",
    "SECRET_UNUSABLE, SecretUnusable, true",
    "PORT_TAKEN, PortTaken, false",
    "UNAVAILABLE, RuntimeDown, false",
    "FAILED, RuntimeFailed, false",
    "NOT_FOUND, RuntimeFailed, false",
  })
  void aReasonHasAWordAndSaysWhetherWaitingHelps(Reason reason, String word, boolean terminal) {
    ActionFailure failure = ActionFailures.of(reason);
    assertThat(failure.wire()).isEqualTo(word);
    assertThat(failure.readyReason()).isEqualTo(word);
    assertThat(failure.terminal()).isEqualTo(terminal);
  }

  @Test
  void everyReasonIsTerminalExactlyWhenItsRuntimeSaysRetryingCannotHelp() {
    for (Reason reason : Reason.values()) {
      if (reason != Reason.NOT_FOUND) {
        assertThat(ActionFailures.of(reason).terminal())
            .as(reason.name())
            .isEqualTo(!reason.retryable());
      }
    }
  }
}
