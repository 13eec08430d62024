package dev.berth.runtime.podman;

import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadRuntime;
import dev.berth.runtime.WorkloadRuntimeContract;
import dev.berth.runtime.WorkloadSpec;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * The podman runtime keeps the SPI's contract, with real containers ({@link PodmanTestEnvironment}:
 * its containers.conf, its busybox image, its label on every container).
 */
@Timeout(120)
class PodmanRuntimeContractTest extends WorkloadRuntimeContract {

  private static PodmanTestEnvironment env;

  @BeforeAll
  static void startPodman() throws IOException {
    env = PodmanTestEnvironment.start();
  }

  @AfterAll
  static void stopPodman() throws IOException {
    if (env != null) {
      env.close();
    }
  }

  @Override
  protected WorkloadRuntime open() {
    return new PodmanRuntime(env.config());
  }

  @Override
  protected WorkloadSpec.Builder longRunning(String name) {
    return WorkloadSpec.builder(name, WorkloadKind.CONTAINER)
        .image(env.image())
        .args("sleep", "300")
        .label(PodmanTestEnvironment.LABEL, env.runId())
        // busybox as PID 1 ignores SIGTERM; an init forwards it, so stops are quick
        .init(true);
  }

  @Override
  protected WorkloadSpec.Builder absent(String name) {
    return longRunning(name).image("localhost/berth-test-absent:" + env.runId());
  }

  @Override
  protected String unknownId() {
    return "0".repeat(64);
  }

  @Override
  protected void cleanUp(WorkloadRuntime runtime) throws IOException {
    runtime.close();
    env.removeContainers();
  }
}
