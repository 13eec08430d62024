package dev.berth.runtime.process;

import static dev.berth.runtime.process.Harness.PATIENCE;
import static dev.berth.runtime.process.Harness.shell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.runtime.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process's output goes to a file of its own, which the runtime tails, follows and rotates. */
class ProcessLogsTest {

  @TempDir Path temporary;

  private Harness harness;
  private ProcessRuntime runtime;

  @BeforeEach
  void open() {
    harness = new Harness(temporary);
    runtime = harness.open();
  }

  @AfterEach
  void cleanUp() {
    harness.close();
  }

  @Test
  void logs_returns_the_last_lines_of_stdout_and_stderr_as_written() {
    Workload workload =
        runtime.run(shell("echo one; echo two >&2; echo three; echo four >&2; echo done").build());

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(runtime.logs(workload.id(), 3, false))
                    .containsExactly("three", "four", "done"));
    assertThat(runtime.logs(workload.id(), -1, false))
        .containsExactly("one", "two", "three", "four", "done");
    assertThat(runtime.logs(workload.id(), 0, false)).isEmpty();
  }

  @Test
  void follow_gives_the_tail_then_the_lines_as_they_are_written() throws Exception {
    Workload workload =
        runtime.run(
            shell("echo before; while [ ! -e go ]; do sleep 0.05; done; echo after; exec sleep 60")
                .build());
    await()
        .atMost(PATIENCE)
        .until(() -> runtime.logs(workload.id(), 10, false).toList(), lines -> !lines.isEmpty());

    try (Stream<String> followed = runtime.logs(workload.id(), 1, true)) {
      Iterator<String> lines = followed.iterator();
      assertThat(lines.next()).isEqualTo("before");
      Files.createFile(harness.directoryOf(workload.id()).resolve("go"));
      // Blocks until the line is written; the ceiling only keeps a broken build from hanging.
      assertThat(
              CompletableFuture.supplyAsync(lines::next)
                  .get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
          .isEqualTo("after");
    }
  }

  @Test
  void a_log_larger_than_the_limit_is_rotated_keeping_the_configured_number() throws IOException {
    runtime.close();
    runtime =
        harness.open(
            ProcessRuntimeConfig.of(harness.root)
                .withLogRotation(10_000, 2, Duration.ofMillis(50)));
    // Bursts of 20 kB, each larger than the limit, until the test has seen enough rotations.
    Workload workload =
        runtime.run(
            shell(
                    "n=0; while true; do"
                        + " i=0; while [ $i -lt 200 ]; do"
                        + " echo \"burst $n line $i ............................................................................\";"
                        + " i=$((i+1)); done; n=$((n+1)); sleep 0.2; done")
                .build());
    Path directory = harness.directoryOf(workload.id());

    await().atMost(PATIENCE).until(() -> Files.exists(directory.resolve("output.log.2")));

    assertThat(directory.resolve("output.log.3")).doesNotExist();
    assertThat(Files.size(directory.resolve("output.log.1"))).isGreaterThan(10_000);
    assertThat(Files.size(directory.resolve("output.log.2"))).isGreaterThan(10_000);
  }

  @Test
  void after_a_rotation_the_process_writes_at_the_start_of_the_emptied_file() throws IOException {
    runtime.close();
    runtime =
        harness.open(
            ProcessRuntimeConfig.of(harness.root)
                .withLogRotation(10_000, 1, Duration.ofMillis(50)));
    Workload workload =
        runtime.run(
            shell(
                    "i=0; while [ $i -lt 500 ]; do echo \"line $i ..........................................\"; i=$((i+1)); done;"
                        + " while [ ! -e go ]; do sleep 0.05; done; echo after rotation; exec sleep 60")
                .build());
    Path directory = harness.directoryOf(workload.id());
    await().atMost(PATIENCE).until(() -> Files.exists(directory.resolve("output.log.1")));

    Files.createFile(directory.resolve("go"));

    // Opened for append, the process follows the truncation; a plain write would leave a hole of
    // NUL bytes as large as the old file before its next line.
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(Files.readString(directory.resolve("output.log")))
                    .endsWith("after rotation\n")
                    .doesNotContain("\0"));
    assertThat(Files.size(directory.resolve("output.log"))).isLessThan(10_000);
  }
}
