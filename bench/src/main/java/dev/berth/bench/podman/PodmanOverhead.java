package dev.berth.bench.podman;

import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.runtime.podman.PodmanConfig;
import dev.berth.runtime.podman.PodmanRuntime;
import dev.berth.spec.identity.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * What Berth's podman runtime costs on top of podman itself: each scenario runs once through {@link
 * PodmanRuntime} and once as a bash script of the same podman commands, and reports Berth's time
 * over the script's (target: at most 1.05).
 *
 * <ul>
 *   <li><b>list</b>: {@value #LISTS} calls of {@code list()} against {@value #LISTS} of {@code
 *       podman ps --all --format=json > /dev/null}, with {@value #LISTED} extra containers created
 *       for it; and again against a script that reads what ps prints ({@code | cat > /dev/null}),
 *       as any consumer of the JSON must: {@code > /dev/null} never moves it through a pipe.
 *   <li><b>run+remove, sequential</b>: {@value #CYCLES} times {@code run()} then {@code remove()};
 *       the script runs the podman commands the runtime runs, flag for flag: {@code podman run
 *       --detach … --cidfile=…}, {@code podman container inspect} (run() returns the container as
 *       observed) and {@code podman rm --force --time=0}.
 *   <li><b>run+remove, {@value #PARALLELISM} at a time</b>: the same {@value #CYCLES} cycles split
 *       over {@value #PARALLELISM} threads, against {@value #PARALLELISM} background loops.
 * </ul>
 *
 * Each round runs every scenario in blocks, the two sides taking turns block by block; the figures
 * are the median round and the totals over all rounds. Everything created (containers labelled
 * {@code berth.bench=RUN}, the image, the temporary directory) is removed at the end, also on
 * Ctrl-C.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar dev.berth.bench.podman.PodmanOverhead
 * [ROUNDS]}, ROUNDS defaulting to {@value #DEFAULT_ROUNDS}.
 */
public final class PodmanOverhead {

  static final int LISTED = 200;
  static final int LISTS = 20;
  static final int CYCLES = 50;
  static final int PARALLELISM = 4;
  static final int DEFAULT_ROUNDS = 3;
  static final int WARM_UP_LISTS = 30;

  /** Pause between measured blocks (see measure); not counted. */
  static final Duration SETTLE = Duration.ofSeconds(1);

  private static final String LABEL = "berth.bench";

  /** What ENVIRONMENT.md asks for on these machines; see PodmanConfig#containersConf. */
  private static final String CONTAINERS_CONF =
      """
      [containers]
      default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
      [engine]
      runtime = "runc"
      """;

  private final Path directory;
  private final HostShell shell;
  private final PodmanRuntime runtime;
  private final String runId = UUID.randomUUID().toString().substring(0, 8);
  private final String image = "localhost/berth-bench-busybox:" + runId;
  private boolean cleanedUp;

  private PodmanOverhead(Path directory) throws IOException {
    this.directory = directory;
    Path conf = directory.resolve("containers.conf");
    Files.writeString(conf, CONTAINERS_CONF);
    this.shell = new HostShell(conf, directory);
    this.runtime = new PodmanRuntime(PodmanConfig.defaults().withContainersConf(conf));
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_ROUNDS;
    PodmanOverhead bench = new PodmanOverhead(Files.createTempDirectory("berth-podman-bench"));
    Thread onInterrupt = new Thread(bench::cleanUp, "podman-bench-cleanup");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    try {
      bench.measure(rounds);
    } finally {
      bench.cleanUp();
      try {
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
      } catch (IllegalStateException shuttingDown) {
        // Interrupted: the hook is running or has run, and cleanUp is safe to repeat.
      }
    }
  }

  private void measure(int rounds) throws Exception {
    System.out.printf(
        "podman %s, %d cpus, java %s; %d rounds%n",
        shell.run(List.of("podman", "version", "--format", "{{.Client.Version}}")).strip(),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        rounds);
    BusyboxImage.build(shell, directory, image);
    createListedContainers();
    warmUp();

    List<Scenario> scenarios =
        List.of(
            new Scenario(
                "list (" + LISTS + " calls, " + runtime.list().size() + " containers)",
                "l",
                2,
                tag -> {
                  for (int i = 0; i < LISTS / 2; i++) {
                    runtime.list();
                  }
                },
                tag ->
                    "for i in $(seq 1 "
                        + LISTS / 2
                        + "); do podman ps --all --format=json > /dev/null; done\n"),
            new Scenario(
                "list, the script reading ps (| cat)",
                "c",
                2,
                tag -> {
                  for (int i = 0; i < LISTS / 2; i++) {
                    runtime.list();
                  }
                },
                tag ->
                    "for i in $(seq 1 "
                        + LISTS / 2
                        + "); do podman ps --all --format=json | cat > /dev/null; done\n"),
            new Scenario(
                "run+remove " + CYCLES + ", sequential",
                "s",
                5,
                tag -> cycles(tag + "b", CYCLES / 5, 1),
                tag -> cycleFunction() + loops(tag + "s", CYCLES / 5, 1)),
            new Scenario(
                "run+remove " + CYCLES + ", " + PARALLELISM + " at a time",
                "p",
                2,
                tag -> cycles(tag + "b", CYCLES / 2, PARALLELISM),
                tag -> cycleFunction() + loops(tag + "s", CYCLES / 2, PARALLELISM)));

    List<String> lines = new ArrayList<>();
    for (Scenario scenario : scenarios) {
      long[] berth = new long[rounds];
      long[] script = new long[rounds];
      for (int round = 0; round < rounds; round++) {
        for (int block = 0; block < scenario.blocks(); block++) {
          String tag = scenario.key() + round + "-" + block;
          // Alternate who goes first, and let podman settle in between: a removed container's
          // conmon runs "podman container cleanup" after rm returns, which would otherwise tax
          // whichever side comes next.
          if ((round + block) % 2 == 0) {
            berth[round] += time(scenario.berth(), tag);
            settle();
            script[round] += shell.timeScript(tag, scenario.script().body(tag));
          } else {
            script[round] += shell.timeScript(tag, scenario.script().body(tag));
            settle();
            berth[round] += time(scenario.berth(), tag);
          }
          settle();
        }
        System.out.printf(
            Locale.ROOT,
            "  %-40s round %d: berth %8.1f ms, script %8.1f ms, ratio %.3f%n",
            scenario.name(),
            round,
            berth[round] / 1e6,
            script[round] / 1e6,
            (double) berth[round] / script[round]);
      }
      lines.add(
          String.format(
              Locale.ROOT,
              "%-40s %10.1f %10.1f %7.3f %7.3f",
              scenario.name(),
              median(berth) / 1e6,
              median(script) / 1e6,
              (double) median(berth) / median(script),
              (double) Arrays.stream(berth).sum() / Arrays.stream(script).sum()));
    }
    System.out.printf(
        "%n%-40s %10s %10s %7s %7s%n",
        "scenario (per round)", "berth ms", "script ms", "median", "all");
    lines.forEach(System.out::println);
    System.out.printf(
        "%n(median: ratio of the median rounds; all: of the totals over all rounds)%n"
            + "%nThe script of one block of the sequential scenario, as run:%n%s",
        cycleFunction() + loops("example", CYCLES / 5, 1));
  }

  /** One block of one side of a scenario; the tag makes its container names unique. */
  private interface Work {
    void run(String tag) throws Exception;
  }

  private interface ScriptBody {
    String body(String tag);
  }

  /**
   * A comparison, measured in {@code blocks} blocks per round, the two sides taking turns: slow
   * drift of podman's speed (its database grows, the machine has other work) then weighs on both
   * sides alike.
   */
  private record Scenario(String name, String key, int blocks, Work berth, ScriptBody script) {}

  private static void settle() throws InterruptedException {
    Thread.sleep(SETTLE.toMillis());
  }

  private static long time(Work work, String tag) throws Exception {
    long start = System.nanoTime();
    work.run(tag);
    return System.nanoTime() - start;
  }

  /** Creates the containers the list scenario lists, 4 at a time; not measured. */
  private void createListedContainers() throws IOException, InterruptedException {
    shell.timeScript(
        "create-listed",
        "seq 1 "
            + LISTED
            + " | xargs -P 4 -I{} podman create --pull=never --name=bench-listed-{}-"
            + runId
            + " --label="
            + LABEL
            + "="
            + runId
            + " --label="
            + Labels.SERVICE
            + "=bench --label="
            + Labels.COMPONENT
            + "=listed-{} "
            + image
            + " sleep 300 > /dev/null\n");
  }

  /**
   * Measures the agent as it runs for days, not a cold JVM: reading 200 containers of JSON takes 38
   * ms on the first call and about 1 ms from the twentieth on, once the JIT has compiled the
   * parser. Also lets podman's files settle into the page cache.
   */
  private void warmUp() throws Exception {
    for (int i = 0; i < WARM_UP_LISTS; i++) {
      runtime.list();
    }
    cycles("warm-b", 5, 1);
    shell.timeScript("warm-up", cycleFunction() + loops("warm-s", 5, 1));
  }

  /** The spec of cycle {@code i}; the script's {@code cycle} function runs the same podman run. */
  private WorkloadSpec spec(String tag, int i) {
    return WorkloadSpec.builder("bench-" + tag + "-" + i + "-" + runId, WorkloadKind.CONTAINER)
        .image(image)
        .label(Labels.SERVICE, "bench")
        .label(Labels.COMPONENT, "c" + i)
        .label(LABEL, runId)
        .init(true)
        .args("sleep", "300")
        .build();
  }

  /** {@code count} cycles, cycle i on thread i mod {@code threads}, as the script splits them. */
  private void cycles(String tag, int count, int threads) throws InterruptedException {
    List<Thread> workers = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int first = t;
      Thread worker =
          new Thread(
              () -> {
                try {
                  for (int i = first; i < count; i += threads) {
                    Workload workload = runtime.run(spec(tag, i));
                    runtime.remove(workload.id());
                  }
                } catch (RuntimeException e) {
                  synchronized (failures) {
                    failures.add(e);
                  }
                }
              });
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("a cycle failed", failures.get(0));
    }
  }

  /**
   * {@code cycle TAG I}: the podman commands {@code run()} and {@code remove()} issue for {@link
   * #spec}, flag for flag. The runtime puts its cid file in a fresh temporary directory,
   * in-process; the script names a fresh file in the benchmark's directory instead, so that it
   * times podman and not {@code mktemp} and {@code rm}.
   */
  private String cycleFunction() {
    return "cycle() {\n"
        + "  local id\n"
        + "  id=$(podman run --detach --pull=never --cidfile="
        + directory.resolve("cid")
        + "-$1-$2 --name=bench-$1-$2-"
        + runId
        + " --label="
        + Labels.SERVICE
        + "=bench --label="
        + Labels.COMPONENT
        + "=c$2 --label="
        + LABEL
        + "="
        + runId
        + " --restart=no --init "
        + image
        + " sleep 300)\n"
        + "  podman container inspect \"$id\" > /dev/null\n"
        + "  podman rm --force --time=0 \"$id\" > /dev/null\n"
        + "}\n";
  }

  /** {@code count} cycles in {@code threads} background loops, cycle i in loop i mod threads. */
  private static String loops(String tag, int count, int threads) {
    StringBuilder script = new StringBuilder("pids=()\n");
    for (int t = 0; t < threads; t++) {
      script
          .append("( for ((i = ")
          .append(t)
          .append("; i < ")
          .append(count)
          .append("; i += ")
          .append(threads)
          .append(")); do cycle ")
          .append(tag)
          .append(" $i; done ) &\npids+=($!)\n");
    }
    return script.append("for pid in \"${pids[@]}\"; do wait \"$pid\"; done\n").toString();
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** Removes every container of this run, the image and the directory; safe to call twice. */
  private synchronized void cleanUp() {
    if (cleanedUp) {
      return;
    }
    cleanedUp = true;
    try {
      runtime.close();
      List<String> ids =
          shell
              .run(
                  List.of(
                      "podman", "ps", "--all", "--quiet", "--filter=label=" + LABEL + "=" + runId))
              .lines()
              .filter(line -> !line.isBlank())
              .toList();
      if (!ids.isEmpty()) {
        List<String> rm = new ArrayList<>(List.of("podman", "rm", "--force", "--time=0"));
        rm.addAll(ids);
        shell.run(rm);
      }
      shell.run(List.of("podman", "rmi", "--force", "--ignore", image));
    } catch (IOException | InterruptedException | RuntimeException e) {
      System.err.println("cleanup incomplete, look for label " + LABEL + "=" + runId + ": " + e);
    } finally {
      try (Stream<Path> files = Files.walk(directory)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      } catch (IOException e) {
        System.err.println("cannot delete " + directory + ": " + e);
      }
    }
  }
}
