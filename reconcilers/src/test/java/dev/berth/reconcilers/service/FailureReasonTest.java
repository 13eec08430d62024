package dev.berth.reconcilers.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.RuntimeFailure.Reason;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The words runtime failures take in status, and which of them waiting cannot repair. */
class FailureReasonTest {

  @ParameterizedTest(name = "{0} -> {1}, terminal {2}")
  @CsvSource({
    "IMAGE_MISSING, ImageMissing, true",
    "NAME_IN_USE, NameInUse, true",
    "EXECUTABLE_NOT_FOUND, NoSuchExecutable, true",
    "INVALID_SPEC, InvalidSpec, true",
    "PORT_TAKEN, PortTaken, false",
    "UNAVAILABLE, RuntimeDown, false",
    "FAILED, RuntimeFailed, false",
    "NOT_FOUND, RuntimeFailed, false",
  })
  void aReasonHasAWordAndSaysWhetherWaitingHelps(Reason reason, String word, boolean terminal) {
    assertThat(FailureReason.of(reason)).isEqualTo(new FailureReason(word, terminal));
    assertThat(FailureReason.terminal(word)).isEqualTo(terminal);
  }

  @Test
  void everyReasonARuntimeGivesHasACamelCaseWordThatFitsTheRegistrysStateColumn() {
    assertThat(Arrays.stream(Reason.values()).map(FailureReason::of).map(FailureReason::word))
        .allMatch(word -> word.matches("[A-Z][A-Za-z]+"))
        .allMatch(word -> word.length() <= FailureReason.MAX_WORD);
  }

  @Test
  void statesThatAreNoFailureAreNotTerminal() {
    assertThat(FailureReason.terminal("running")).isFalse();
    assertThat(FailureReason.terminal("CrashLoopBackOff")).isFalse();
    assertThat(FailureReason.terminal("")).isFalse();
  }

  @Test
  void everyReasonIsTerminalExactlyWhenItsRuntimeSaysRetryingCannotHelp() {
    for (Reason reason : Reason.values()) {
      FailureReason failure = FailureReason.of(reason);
      if (reason != Reason.NOT_FOUND) {
        assertThat(failure.terminal()).as(reason.name()).isEqualTo(!reason.retryable());
      }
    }
  }
}
