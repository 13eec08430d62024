package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExitCodesTest {

  @ParameterizedTest(name = "{0} exits {1}")
  @CsvSource({
    "OK, 0",
    "INVALID_ARGUMENT, 1",
    "FAILED_PRECONDITION, 1",
    "INTERNAL, 1",
    "UNKNOWN, 1",
    "UNIMPLEMENTED, 1",
    "RESOURCE_EXHAUSTED, 1",
    "CANCELLED, 1",
    "UNAVAILABLE, 3",
    "NOT_FOUND, 4",
    "ABORTED, 5",
    "ALREADY_EXISTS, 5",
    "UNAUTHENTICATED, 6",
    "PERMISSION_DENIED, 6",
    "DEADLINE_EXCEEDED, 7",
  })
  void everyStatusCodeHasItsExitCode(Status.Code code, int exitCode) {
    assertThat(ExitCodes.forStatus(code)).isEqualTo(exitCode);
  }
}
