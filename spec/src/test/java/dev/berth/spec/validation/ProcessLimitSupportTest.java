package dev.berth.spec.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.spec.model.ServiceSpec;
import org.junit.jupiter.api.Test;

/** A process limit the node cannot enforce is refused at apply, with the field path and why. */
class ProcessLimitSupportTest {

  private static final String NO_MEMORY =
      "no writable cgroup memory controller (no cgroup v2 or cgroup v1 memory hierarchy is"
          + " mounted)";
  private static final String NO_CPU =
      "no writable cgroup cpu controller (cgroup v2 at /sys/fs/cgroup has no cpu controller)";

  private static SpecValidator on(ProcessLimitSupport node) {
    return new SpecValidator(ValidationPolicy.STRICT.withProcessLimits(node));
  }

  @Test
  void aProcessMemoryLimitIsRefusedWhereTheNodeCannotEnforceIt() {
    ServiceSpec shop = Specs.shop(); // its worker, a process, has memory = 128

    assertThat(on(new ProcessLimitSupport(NO_MEMORY, null)).validate(shop))
        .extracting(Violation::toString)
        .containsExactly(
            "components[3].memory: this node cannot limit a process's memory: " + NO_MEMORY);
  }

  @Test
  void aProcessCpuLimitIsRefusedWhereTheNodeCannotEnforceIt() {
    ServiceSpec shop =
        Specs.component(Specs.WORKER, worker -> worker.memoryMb(0).vcpus(2)).apply(Specs.shop());

    assertThat(on(new ProcessLimitSupport(NO_MEMORY, NO_CPU)).validate(shop))
        .extracting(Violation::toString)
        .containsExactly(
            "components[3].vcpus: this node cannot limit a process's CPU time: " + NO_CPU);
  }

  @Test
  void containersAndVmsKeepTheirLimitsWhateverTheProcessRuntimeCanDo() {
    ServiceSpec shop =
        Specs.component(Specs.WORKER, worker -> worker.memoryMb(0)).apply(Specs.shop());

    assertThat(on(new ProcessLimitSupport(NO_MEMORY, NO_CPU)).validate(shop)).isEmpty();
  }

  @Test
  void limitsAreAcceptedWhereTheNodeIsNotKnown() {
    assertThat(on(ProcessLimitSupport.UNKNOWN).validate(Specs.shop())).isEmpty();
    assertThat(new SpecValidator().policy().processLimits()).isEqualTo(ProcessLimitSupport.UNKNOWN);
  }
}
