package dev.berth.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.berth.runtime.PortBinding;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A process is told its ports through its environment. */
class PortEnvironmentTest {

  @Test
  void aNamedPortIsPortAndItsNameInUpperCaseWithDashesAndDotsAsUnderscores() {
    assertThat(
            PortEnvironment.of(
                List.of(
                    new PortBinding("web-ui", null, 8080, 8080),
                    new PortBinding("admin.api", "127.0.0.1", 9090, 9090))))
        .containsExactly(entry("PORT_WEB_UI", "8080"), entry("PORT_ADMIN_API", "9090"));
  }

  @Test
  void aSinglePortIsAlsoPortNamedOrNot() {
    assertThat(PortEnvironment.of(List.of(new PortBinding("http", null, 8080, 8080))))
        .containsExactly(entry("PORT", "8080"), entry("PORT_HTTP", "8080"));
    assertThat(PortEnvironment.of(List.of(new PortBinding(null, null, 8080, 8080))))
        .containsExactly(entry("PORT", "8080"));
  }

  @Test
  void theValueIsTheHostPortWhereTheProcessMustListen() {
    assertThat(PortEnvironment.of(List.of(new PortBinding("http", null, 31000, 8080))))
        .containsEntry("PORT", "31000")
        .containsEntry("PORT_HTTP", "31000");
  }

  @Test
  void unnamedPortsAmongSeveralGiveNothing() {
    assertThat(
            PortEnvironment.of(
                List.of(new PortBinding(null, null, 1, 1), new PortBinding(null, null, 2, 2))))
        .isEmpty();
  }

  @Test
  void namesThatGiveTheSameVariableOrNoValidOneAreRefused() {
    for (List<PortBinding> ports :
        List.of(
            List.of(new PortBinding("a-b", null, 1, 1), new PortBinding("a.b", null, 2, 2)),
            List.of(new PortBinding("has space", null, 1, 1)),
            List.of(new PortBinding("x=y", null, 1, 1)))) {
      assertThatThrownBy(() -> PortEnvironment.of(ports))
          .isInstanceOfSatisfying(
              RuntimeFailure.class,
              failure -> assertThat(failure.reason()).isEqualTo(Reason.INVALID_SPEC));
    }
  }
}
