package dev.berth.runtime.fake;

import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadRuntime;
import dev.berth.runtime.WorkloadRuntimeContract;
import dev.berth.runtime.WorkloadSpec;
import java.time.Clock;
import java.util.Set;

/** The fake keeps the SPI's contract, so that what embedders test against it holds for real. */
class FakeRuntimeContractTest extends WorkloadRuntimeContract {

  private static final String IMAGE = "localhost/contract:1";

  @Override
  protected WorkloadRuntime open() {
    // Not every kind: the contract runs a kind the runtime does not serve.
    return new FakeRuntime(
            "fake", Set.of(WorkloadKind.CONTAINER, WorkloadKind.PROCESS), 0, Clock.systemUTC())
        .addImage(IMAGE);
  }

  @Override
  protected WorkloadSpec.Builder longRunning(String name) {
    return WorkloadSpec.builder(name, WorkloadKind.CONTAINER).image(IMAGE);
  }

  @Override
  protected WorkloadSpec.Builder absent(String name) {
    return WorkloadSpec.builder(name, WorkloadKind.CONTAINER).image("localhost/absent:1");
  }

  @Override
  protected String unknownId() {
    return "fake-999999";
  }

  @Override
  protected void cleanUp(WorkloadRuntime runtime) {
    runtime.close();
  }
}
