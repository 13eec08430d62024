package dev.berth.bench.process;

import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.runtime.local.ProcessTable;
import dev.berth.runtime.process.ProcessRuntime;
import dev.berth.runtime.process.ProcessRuntimeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What {@link ProcessRuntime} costs on top of the JVM's own process handling: starts {@code count}
 * {@code /bin/sleep 60} processes one after another and stops them one after another, once with a
 * bare {@link ProcessBuilder} ({@code start}, then {@code destroy} + {@code waitFor}) and once
 * through the runtime ({@code run}, then {@code stop} with SIGTERM); then removes the workloads,
 * timed apart. The first round warms the JIT and is not reported. Target: at most 5 ms of overhead
 * per process for a start plus a stop. Between the runtime's starts and stops it also sums the
 * memory (PSS) of what the runtime runs beside each program: its supervisor and log writer.
 *
 * <p>Run from the repository root:
 *
 * <pre>
 * ./mvnw -B -q -DskipTests -pl bench -am package
 * java -cp bench/target/benchmarks.jar dev.berth.bench.process.ProcessOverhead [count] [rounds]
 * </pre>
 */
public final class ProcessOverhead {

  private static final List<String> COMMAND = List.of("/bin/sleep", "60");
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private ProcessOverhead() {}

  /**
   * One round's totals in nanoseconds, and what the runtime's own processes beside the programs
   * (each one's supervisor, log writer and its {@code head}) take in memory, PSS in KiB.
   */
  record Round(
      long bareStart,
      long bareStop,
      long runtimeStart,
      long runtimeStop,
      long remove,
      long supervisorsPssKib) {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path root = Files.createTempDirectory("berth-process-overhead");
    System.out.printf(
        "%d x %s, sequential; %d measured rounds after one warm-up; state root %s%n",
        count, String.join(" ", COMMAND), rounds, root);
    System.out.printf(
        "%-7s %12s %12s %12s %12s %12s %16s%n",
        "round", "bare start", "bare stop", "run", "stop", "remove", "overhead/proc");
    List<Round> measured = new ArrayList<>();
    try (ProcessRuntime runtime = new ProcessRuntime(ProcessRuntimeConfig.of(root))) {
      for (int round = 0; round <= rounds; round++) {
        Round result = round(runtime, root, count);
        print(round == 0 ? "warm-up" : Integer.toString(round), result, count);
        if (round > 0) {
          measured.add(result);
        }
      }
    } finally {
      deleteTree(root);
    }
    measured.sort(Comparator.comparingLong(ProcessOverhead::overhead));
    Round median = measured.get(measured.size() / 2);
    print("median", median, count);
    System.out.printf(
        Locale.ROOT,
        "per process (median round): start %.2f ms bare, %.2f ms run; stop %.2f ms bare, %.2f ms"
            + " stop; remove %.2f ms; overhead %.2f ms (target <= 5 ms); supervisor, log writer"
            + " and head: %d KiB PSS%n",
        millis(median.bareStart()) / count,
        millis(median.runtimeStart()) / count,
        millis(median.bareStop()) / count,
        millis(median.runtimeStop()) / count,
        millis(median.remove()) / count,
        millis(overhead(median)) / count,
        median.supervisorsPssKib() / count);
  }

  private static Round round(ProcessRuntime runtime, Path root, int count) throws Exception {
    List<Process> bare = new ArrayList<>(count);
    long t0 = System.nanoTime();
    for (int i = 0; i < count; i++) {
      bare.add(
          new ProcessBuilder(COMMAND)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectErrorStream(true)
              .start());
    }
    long t1 = System.nanoTime();
    for (Process process : bare) {
      process.destroy();
      process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
    long t2 = System.nanoTime();

    List<String> ids = new ArrayList<>(count);
    WorkloadSpec spec =
        WorkloadSpec.builder("sleeper", WorkloadKind.PROCESS)
            .executable(COMMAND.get(0))
            .args(COMMAND.subList(1, COMMAND.size()))
            .build();
    long t3 = System.nanoTime();
    for (int i = 0; i < count; i++) {
      Workload workload = runtime.run(spec);
      ids.add(workload.id());
    }
    long t4 = System.nanoTime();
    long supervisors = supervisorsPssKib(root);
    long t4b = System.nanoTime();
    for (String id : ids) {
      runtime.stop(id, STOP_TIMEOUT);
    }
    long t5 = System.nanoTime();
    for (String id : ids) {
      runtime.remove(id);
    }
    long t6 = System.nanoTime();
    return new Round(t1 - t0, t2 - t1, t4 - t3, t5 - t4b, t6 - t5, supervisors);
  }

  /**
   * The PSS of every process that names the state root (the supervisors and their forked shells)
   * and of their {@code head}s: what the runtime adds beside the programs. PSS shares the pages of
   * {@code sh} and {@code head} among the processes that map them, so the sum is what they cost.
   */
  private static long supervisorsPssKib(Path root) {
    List<ProcessHandle> supervisors = ProcessTable.naming(root);
    List<ProcessHandle> all = new ArrayList<>(supervisors);
    for (ProcessHandle supervisor : supervisors) {
      supervisor
          .children()
          .filter(child -> child.info().command().map(c -> c.endsWith("/head")).orElse(false))
          .forEach(all::add);
    }
    return all.stream().mapToLong(ProcessOverhead::pssKib).sum();
  }

  private static long pssKib(ProcessHandle process) {
    try {
      for (String line :
          Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "smaps_rollup"))) {
        if (line.startsWith("Pss:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException gone) {
      // ended meanwhile
    }
    return 0;
  }

  /** Extra time per process for a start plus a stop through the runtime. */
  private static long overhead(Round round) {
    return (round.runtimeStart() + round.runtimeStop()) - (round.bareStart() + round.bareStop());
  }

  private static void print(String label, Round round, int count) {
    System.out.printf(
        Locale.ROOT,
        "%-7s %9.0f ms %9.0f ms %9.0f ms %9.0f ms %9.0f ms %13.2f ms%n",
        label,
        millis(round.bareStart()),
        millis(round.bareStop()),
        millis(round.runtimeStart()),
        millis(round.runtimeStop()),
        millis(round.remove()),
        millis(overhead(round)) / count);
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
