package dev.berth.spec.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The words a component's state takes: one each, read back to what they came from. */
class ComponentStateTest {

  static List<ComponentState> all() {
    List<ComponentState> states = new ArrayList<>(List.of(ComponentPhase.values()));
    states.addAll(List.of(ActionFailure.values()));
    return states;
  }

  @Test
  void everyStateIsReadBackFromItsWord() {
    for (ComponentState state : all()) {
      assertThat(ComponentState.ofWire(state.wire())).contains(state);
    }
  }

  @Test
  void noTwoStatesShareAWordAndEveryWordFitsTheRegistrysStateColumn() {
    assertThat(all().stream().map(ComponentState::wire))
        .doesNotHaveDuplicates()
        .allMatch(word -> word.length() <= ActionFailure.MAX_WORD);
  }

  @Test
  void aWordThisVersionDoesNotKnowIsNoState() {
    assertThat(ComponentState.ofWire("Hibernating")).isEmpty();
    assertThat(ComponentState.ofWire("")).isEmpty();
  }

  @Test
  void onlyRunningIsReady() {
    assertThat(all().stream().filter(ComponentState::ready))
        .containsExactly(ComponentPhase.RUNNING);
  }

  @Test
  void theFailuresAreACrashLoopAnExitThatIsKeptAndTheTerminalRuntimeFailures() {
    assertThat(all().stream().filter(ComponentState::failure))
        .containsExactlyInAnyOrder(
            ComponentPhase.EXITED,
            ComponentPhase.CRASH_LOOP_BACK_OFF,
            ActionFailure.IMAGE_MISSING,
            ActionFailure.NAME_IN_USE,
            ActionFailure.NO_SUCH_EXECUTABLE,
            ActionFailure.SECRET_UNUSABLE,
            ActionFailure.INVALID_SPEC);
  }

  @Test
  void aRuntimeFailureIsItsOwnReadyReasonAndOnlyRuntimeFailuresAreTerminal() {
    for (ActionFailure failure : ActionFailure.values()) {
      assertThat(failure.readyReason()).isEqualTo(failure.wire());
    }
    assertThat(Stream.of(ComponentPhase.values()).filter(ComponentState::terminal)).isEmpty();
  }
}
