package dev.berth.runtime.process;

import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadRuntime;
import dev.berth.runtime.WorkloadRuntimeContract;
import dev.berth.runtime.WorkloadSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The process runtime keeps the SPI's contract, with real host processes. */
class ProcessRuntimeContractTest extends WorkloadRuntimeContract {

  @TempDir Path temporary;

  private Harness harness;

  @Override
  protected WorkloadRuntime open() {
    harness = new Harness(temporary);
    return harness.open();
  }

  @Override
  protected WorkloadSpec.Builder longRunning(String name) {
    return WorkloadSpec.builder(name, WorkloadKind.PROCESS)
        .executable("/bin/sh")
        .args("-c", "exec sleep 600");
  }

  @Override
  protected WorkloadSpec.Builder absent(String name) {
    return WorkloadSpec.builder(name, WorkloadKind.PROCESS)
        .executable(temporary.resolve("no-such-program").toString());
  }

  @Override
  protected Reason absentReason() {
    return Reason.EXECUTABLE_NOT_FOUND;
  }

  @Override
  protected String unknownId() {
    return ProcessRuntime.ID_PREFIX + "000000000000";
  }

  @Override
  protected void cleanUp(WorkloadRuntime runtime) {
    harness.close();
  }
}
