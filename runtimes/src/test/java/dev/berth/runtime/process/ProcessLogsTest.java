package dev.berth.runtime.process;

import static dev.berth.runtime.process.Harness.PATIENCE;
import static dev.berth.runtime.process.Harness.shell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadState;
import dev.berth.runtime.local.ProcessIdentity;
import dev.berth.runtime.local.ProcessTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process's output goes through a pipe to a log writer of its own, which keeps it within {@code
 * logMaxBytes * (logKeep + 1)} at any rate; the runtime tails and follows it across rotations.
 */
class ProcessLogsTest {

  /** Long lines, numbered: enough of them to rotate small logs several times. */
  private static final String NUMBERED_LINES =
      "i=1; while [ $i -le %d ]; do"
          + " echo \"line $i ..................................................\"; i=$((i+1));"
          + " done";

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
  void logsReturnsTheLastLinesOfStdoutAndStderrAsWritten() {
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
  void followGivesTheTailThenTheLinesAsTheyAreWritten() throws Exception {
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
  void theLogRotatesAtItsLimitNeverPastItKeepingTheConfiguredNumber() {
    runtime = reopen(10_000, 2);
    Workload workload = runtime.run(shell(NUMBERED_LINES.formatted(2_000)).build());
    Path directory = harness.directoryOf(workload.id());

    awaitLastLine(workload, 2_000);

    assertThat(directory.resolve("output.log.3")).doesNotExist();
    assertThat(sizeOf(directory.resolve("output.log.1"))).isEqualTo(10_000);
    assertThat(sizeOf(directory.resolve("output.log.2"))).isEqualTo(10_000);
    assertThat(sizeOf(directory.resolve("output.log"))).isBetween(1L, 10_000L);
  }

  @Test
  void withNoRotatedLogsKeptTheLogIsEmptiedAtItsLimit() {
    runtime = reopen(10_000, 0);
    Workload workload = runtime.run(shell(NUMBERED_LINES.formatted(2_000)).build());
    Path directory = harness.directoryOf(workload.id());

    awaitLastLine(workload, 2_000);

    assertThat(directory.resolve("output.log.1")).doesNotExist();
    assertThat(sizeOf(directory.resolve("output.log"))).isBetween(1L, 10_000L);
  }

  @Test
  void tailReadsAcrossTheRotatedLogsAsOneText() {
    runtime = reopen(4_096, 100);
    Workload workload = runtime.run(shell(NUMBERED_LINES.formatted(1_000)).build());
    awaitLastLine(workload, 1_000);
    assertThat(harness.directoryOf(workload.id()).resolve("output.log.5")).exists();

    // A rotation cuts lines anywhere: read as one text, none is lost or cut in two.
    assertThat(runtime.logs(workload.id(), 500, false)).containsExactlyElementsOf(lines(501, 1000));
    assertThat(runtime.logs(workload.id(), -1, false)).containsExactlyElementsOf(lines(1, 1000));
  }

  @Test
  void followGoesOnAcrossRotationsWithoutLosingALine() throws Exception {
    runtime = reopen(4_096, 100);
    Workload workload =
        runtime.run(
            shell(
                    "echo ready; while [ ! -e go ]; do sleep 0.05; done; "
                        + NUMBERED_LINES.formatted(1_000)
                        + "; exec sleep 60")
                .build());
    await()
        .atMost(PATIENCE)
        .until(() -> runtime.logs(workload.id(), 1, false).toList(), List.of("ready")::equals);

    List<String> followed = new ArrayList<>();
    try (Stream<String> stream = runtime.logs(workload.id(), 0, true)) {
      Iterator<String> lines = stream.iterator();
      Files.createFile(harness.directoryOf(workload.id()).resolve("go"));
      CompletableFuture.runAsync(
              () -> {
                while (followed.size() < 1_000) {
                  followed.add(lines.next());
                }
              })
          .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    assertThat(harness.directoryOf(workload.id()).resolve("output.log.5")).exists();
    assertThat(followed).containsExactlyElementsOf(lines(1, 1000));
  }

  /**
   * A process that prints as fast as it can: its logs never pass the bound, whatever the rate (its
   * writes wait for the writer instead), and a stop and a removal take effect at once.
   */
  @Test
  void aFloodOfOutputStaysWithinTheBoundAndNeverDelaysAStopOrARemoval() throws Exception {
    long maxBytes = 1024 * 1024;
    int keep = 2;
    long bound = maxBytes * (keep + 1);
    runtime = reopen(maxBytes, keep);
    Workload workload =
        runtime.run(shell("exec yes 'a flood of output, as fast as the writer takes it'").build());
    Path directory = harness.directoryOf(workload.id());
    ProcessIdentity program = harness.recordOf(workload.id()).identity();
    ProcessIdentity supervisor = harness.recordOf(workload.id()).supervisor();

    // Bounded by the number of looks, not by time: a slow machine floods less, never more.
    long largestTotal = 0;
    long largestFile = 0;
    for (int look = 0; look < 200; look++) {
      List<Long> sizes = logSizes(directory);
      largestTotal = Math.max(largestTotal, sizes.stream().mapToLong(Long::longValue).sum());
      largestFile =
          Math.max(largestFile, sizes.stream().mapToLong(Long::longValue).max().orElse(0));
      Thread.sleep(10);
    }
    assertThat(directory.resolve("output.log.2")).as("it rotated, more than once").exists();

    long stopping = System.nanoTime();
    runtime.stop(workload.id(), PATIENCE);
    Duration stop = Duration.ofNanos(System.nanoTime() - stopping);
    assertThat(program.alive()).as("the program once stop returned").isFalse();
    assertThat(supervisor.alive()).as("its supervisor and log writer").isFalse();
    assertThat(runtime.inspect(workload.id()).orElseThrow().exitCode())
        .as("SIGTERM, as a shell reports it")
        .isEqualTo(128 + 15);

    long removing = System.nanoTime();
    runtime.remove(workload.id());
    Duration remove = Duration.ofNanos(System.nanoTime() - removing);
    assertThat(directory).doesNotExist();
    assertThat(ProcessTable.naming(directory)).isEmpty();

    System.out.printf(
        "flood: largest log file %d bytes, largest total %d bytes, bound %d bytes"
            + " (log_max_bytes %d x (log_keep %d + 1)); stop took %d ms, remove %d ms%n",
        largestFile, largestTotal, bound, maxBytes, keep, stop.toMillis(), remove.toMillis());
    assertThat(largestFile).isLessThanOrEqualTo(maxBytes);
    assertThat(largestTotal).isLessThanOrEqualTo(bound);
  }

  @Test
  void aFloodStaysWithinTheBoundAfterTheRuntimeThatStartedItIsGone() throws Exception {
    runtime = reopen(64 * 1024, 1);
    Workload workload = runtime.run(shell("exec yes 'flooding on, with nobody watching'").build());
    Path directory = harness.directoryOf(workload.id());

    runtime.close();

    await().atMost(PATIENCE).until(() -> Files.exists(directory.resolve("output.log.1")));
    long largestTotal = 0;
    for (int look = 0; look < 100; look++) {
      largestTotal = Math.max(largestTotal, logSizes(directory).stream().mapToLong(n -> n).sum());
      Thread.sleep(10);
    }
    assertThat(largestTotal).isLessThanOrEqualTo(2 * 64 * 1024);
    ProcessRuntime adopting = harness.open(ProcessRuntimeConfig.of(harness.root));
    assertThat(adopting.inspect(workload.id()).orElseThrow().state())
        .isEqualTo(WorkloadState.RUNNING);
    assertThat(adopting.logs(workload.id(), 3, false))
        .contains("flooding on, with nobody watching");
  }

  @Test
  void logsAreReadableByTheirOwnerOnly() throws IOException {
    Workload workload = runtime.run(shell("echo secret").build());
    Path directory = harness.directoryOf(workload.id());
    await().atMost(PATIENCE).until(() -> exited(workload));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)))
        .isEqualTo("rwx------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(directory.resolve("output.log"))))
        .isEqualTo("rw-r-----");
  }

  private ProcessRuntime reopen(long maxBytes, int keep) {
    runtime.close();
    return harness.open(ProcessRuntimeConfig.of(harness.root).withLogRotation(maxBytes, keep));
  }

  /** Waits for line {@code number} to be the last one logged: the writer has drained the pipe. */
  private void awaitLastLine(Workload workload, int number) {
    await()
        .atMost(PATIENCE)
        .until(() -> runtime.logs(workload.id(), 1, false).toList(), lines(number, number)::equals);
  }

  private boolean exited(Workload workload) {
    return runtime.inspect(workload.id()).orElseThrow().state() == WorkloadState.EXITED;
  }

  private static List<String> lines(int first, int last) {
    return IntStream.rangeClosed(first, last)
        .mapToObj(i -> "line " + i + " ..................................................")
        .toList();
  }

  /**
   * The sizes of the log files there now, each file once: one renamed while they are looked at
   * (seen as output.log, then as output.log.1) is the same file, by its inode; one gone meanwhile
   * counts as empty.
   */
  private static List<Long> logSizes(Path directory) throws IOException {
    Map<Object, Long> sizes = new HashMap<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.toList()) {
        if (!file.getFileName().toString().startsWith("output.log")) {
          continue;
        }
        try {
          BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
          sizes.putIfAbsent(attributes.fileKey(), attributes.size());
        } catch (IOException gone) {
          // rotated out of existence meanwhile
        }
      }
    }
    return List.copyOf(sizes.values());
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
