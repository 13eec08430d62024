package dev.berth.spec.status;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How an ending is told, from the exit code runtimes report (128 + n for signal n). */
class ExitsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "0   | exited with code 0          | Exited",
        "1   | exited with code 1          | Exited",
        "127 | exited with code 127        | Exited",
        "128 | exited with code 128        | Exited",
        "130 | killed by signal 2 (SIGINT) | Killed",
        "137 | killed by signal 9 (SIGKILL) | Killed",
        "143 | killed by signal 15 (SIGTERM) | Killed",
        "159 | killed by signal 31 (SIGSYS) | Killed",
        "162 | killed by signal 34         | Killed",
        "193 | exited with code 193        | Exited",
        "255 | exited with code 255        | Exited",
        "    | exited (exit code unknown)  | Exited",
      })
  void anExitCodeSaysHowTheWorkloadEnded(Integer code, String described, String reason) {
    assertThat(Exits.describe(code)).isEqualTo(described);
    assertThat(Exits.reason(code)).isEqualTo(reason);
  }

  @ParameterizedTest(name = "{0} MiB -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "32 | killed for exceeding its memory limit of 32 MiB",
        "0  | killed by the kernel: the node ran out of memory",
      })
  void anOomKillSaysWhichLimitWasExceeded(long memoryMb, String described) {
    assertThat(Exits.outOfMemory(memoryMb)).isEqualTo(described);
  }
}
