package dev.berth.runtime.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** QEMU's settings check their own rules, the ones the agent's configuration reports. */
class QemuConfigTest {

  private static final Path STATE = Path.of("/var/lib/berth/qemu");

  @Test
  void theDefaultsPassTheRules() {
    QemuConfig config = QemuConfig.of(STATE);

    assertThat(config.accel()).isEqualTo(QemuConfig.DEFAULT_ACCEL);
    assertThat(config.cpu()).isNull();
    assertThat(config.memoryMb()).isEqualTo(QemuConfig.DEFAULT_MEMORY_MB);
  }

  @Test
  void aWordThatQemuWouldReadAsAnotherOptionIsRefusedNamingTheField() {
    assertThatThrownBy(() -> QemuConfig.builder(STATE).accel("kvm -drive").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "accel: must be a QEMU name such as \"tcg\" (letters, digits and _.,=+-), was"
                + " \"kvm -drive\"");
    assertThatThrownBy(() -> QemuConfig.builder(STATE).cpu("-host").build())
        .hasMessageStartingWith("cpu: must be a QEMU name such as \"host\"");
  }

  @Test
  void memoryAndCpusHaveTheLimitsOfAServiceDefinition() {
    assertThatThrownBy(() -> QemuConfig.builder(STATE).vcpus(257).build())
        .hasMessage("vcpus: must be 1..256, was 257");
    assertThatThrownBy(() -> QemuConfig.builder(STATE).memoryMb(0).build())
        .hasMessage("memoryMb: must be 1..1048576, was 0");
  }

  @Test
  void logRotationHasTheBoundsOfEveryWorkloadLog() {
    assertThatThrownBy(() -> QemuConfig.builder(STATE).logRotation(1024, 3).build())
        .hasMessage("logMaxBytes: must be 4096..1099511627776, was 1024");
    assertThatThrownBy(() -> QemuConfig.builder(STATE).logRotation(4096, 101).build())
        .hasMessage("logKeep: must be 0..100, was 101");
  }

  @Test
  void aBlankBinaryIsRefused() {
    assertThatThrownBy(() -> QemuConfig.builder(STATE).binary(" ").build())
        .hasMessage("binary: must name a program (a name on the PATH or a path), was \" \"");
  }
}
