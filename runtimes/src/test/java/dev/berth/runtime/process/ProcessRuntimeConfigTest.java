package dev.berth.runtime.process;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The process runtime's settings check the bounds of a workload's log, as QEMU's do. */
class ProcessRuntimeConfigTest {

  private static final ProcessRuntimeConfig DEFAULTS =
      ProcessRuntimeConfig.of(Path.of("/var/lib/berth/process"));

  @Test
  void aLogThatWouldRotateEveryFewLinesIsRefused() {
    assertThatThrownBy(() -> DEFAULTS.withLogRotation(4095, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("logMaxBytes: must be 4096..1099511627776, was 4095");
  }

  @Test
  void moreThanAHundredRotatedLogsIsRefused() {
    assertThatThrownBy(() -> DEFAULTS.withLogRotation(4096, 101))
        .hasMessage("logKeep: must be 0..100, was 101");
  }
}
