package dev.berth.runtime.podman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.berth.runtime.PullPolicy;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadSpec;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Without a podman to start, every operation says UNAVAILABLE; needs no podman to run. */
class PodmanUnavailableTest {

  private final PodmanRuntime runtime =
      new PodmanRuntime(PodmanConfig.defaults().withPodmanBinary("/nonexistent/bin/podman"));

  @Test
  void everyOperationIsUnavailable() {
    assertUnavailable(runtime::list);
    assertUnavailable(() -> runtime.inspect("web"));
    assertUnavailable(() -> runtime.ensureImage("localhost/x:1", PullPolicy.IF_ABSENT));
    assertUnavailable(
        () ->
            runtime.run(
                WorkloadSpec.builder("web", WorkloadKind.CONTAINER)
                    .image("localhost/x:1")
                    .build()));
    assertUnavailable(() -> runtime.remove("web"));
  }

  @Test
  void watchingDoesNotFailButKeepsTryingUntilClosed() throws Exception {
    AutoCloseable watch = runtime.watch(event -> {});
    assertThat(runtime.eventsRunning()).isTrue();

    watch.close();
    runtime.close();

    assertThat(runtime.eventsRunning()).isFalse();
  }

  private static void assertUnavailable(ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown)
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            failure -> {
              assertThat(failure.reason()).isEqualTo(Reason.UNAVAILABLE);
              assertThat(failure.getMessage()).contains("/nonexistent/bin/podman");
            });
  }
}
