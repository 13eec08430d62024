package dev.berth.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the launcher needs from the node before it starts anything. */
class LauncherTest {

  @TempDir Path temporary;

  @Test
  void withoutTheSupervisorsToolsInTheAgentsPathNothingStartsAndItSaysWhich() throws Exception {
    Launcher launcher = new Launcher(4096, 1, temporary.resolve("no-tools-here").toString());
    WorkloadDirectory directory =
        new WorkloadDirectory(Files.createDirectories(temporary.resolve("proc-000000000001")));
    ProcessRecord record =
        ProcessRecord.created(
            "proc-000000000001",
            WorkloadSpec.builder("needs-tools", WorkloadKind.PROCESS)
                .executable("/bin/sleep")
                .args("60")
                .build(),
            Instant.now());

    assertThatThrownBy(() -> launcher.start(record, directory, Instant.EPOCH))
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            failure -> {
              assertThat(failure.reason()).isEqualTo(Reason.UNAVAILABLE);
              assertThat(failure.getMessage())
                  .contains("no stdbuf, head, wc, mv, sleep in PATH")
                  .contains("GNU coreutils");
            });
    try (var left = Files.list(directory.path())) {
      assertThat(left).as("nothing started, nothing written").isEmpty();
    }
  }
}
