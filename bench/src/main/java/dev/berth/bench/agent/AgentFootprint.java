package dev.berth.bench.agent;

import dev.berth.proto.v1.AgentProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The node agent's footprint, measured on a real {@code berth agent} JVM with the process runtime
 * (no metrics endpoint), once per JVM option set (by default the options {@code bin/berth} gives
 * and the JVM's own defaults):
 *
 * <ol>
 *   <li><b>start to serving its API</b>, target at most 1.5 s: from creating the agent's process
 *       until a gRPC NodeStatus over its unix socket answers (polled every 10 ms), {@code --runs}
 *       times with a fresh data directory (cold), and as often restarting on a registry that holds
 *       {@code --services} running services (warm: the agent adopts their processes). Beside it the
 *       agent's own figure, the {@code ms=} of its "berth agent started" line, which leaves out the
 *       JVM's start and the CLI's parsing;
 *   <li><b>idle with the services</b>, targets RSS at most 150 MB and CPU at most 1% of one core:
 *       the services applied over the API (one {@code /bin/sleep} each, some with an l4 route so
 *       that ports are allocated), every one running, {@code --settle} to settle, then over {@code
 *       --window}: VmRSS every second (max and last), VmHWM, and utime + stime as a share of one
 *       core.
 * </ol>
 *
 * <p>Then every service is deleted through the agent, the agent stopped with SIGTERM and the
 * directory removed. Whatever happens (a failure, Ctrl-C), nothing is left running: see {@link
 * Teardown}. Run from the repository root:
 *
 * <pre>
 * ./mvnw -B -q -DskipTests package
 * java -cp bench/target/benchmarks.jar dev.berth.bench.agent.AgentFootprint [--help]
 * </pre>
 */
public final class AgentFootprint {

  private static final Duration START_TARGET = Duration.ofMillis(1500);
  private static final long RSS_TARGET_KB = 150 * 1024;
  private static final double CPU_TARGET_PERCENT = 1.0;

  /**
   * What one option set measured.
   *
   * @param idle the agent that applied the services and started their processes
   * @param adopted the last restarted agent, which adopted the processes; null unless asked for
   */
  record SetResult(
      JvmOptionSet set, Starts cold, Starts warm, IdleWindow idle, IdleWindow adopted) {}

  /** Several starts: to serving (our clock), the agent's own ms=, and to the node being ready. */
  record Starts(Spread serving, Spread reported, Spread ready) {}

  private final FootprintOptions options;
  private final Path root;
  private final Teardown teardown;
  private final AgentClient client;
  private final IdleServices services;
  private final long ticksPerSecond;

  private AgentFootprint(
      FootprintOptions options,
      Path root,
      Leftovers leftovers,
      Teardown teardown,
      AgentClient client) {
    this.options = options;
    this.root = root;
    this.teardown = teardown;
    this.client = client;
    this.services = new IdleServices(options.services(), options.routes(), leftovers);
    this.ticksPerSecond = ProcFs.clockTicksPerSecond();
  }

  public static void main(String[] args) throws Exception {
    FootprintOptions options;
    try {
      options = FootprintOptions.parse(args);
    } catch (FootprintOptions.UsageRequested e) {
      System.out.println(FootprintOptions.USAGE);
      return;
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(FootprintOptions.USAGE);
      System.exit(2);
      return;
    }
    if (!Files.isRegularFile(options.jar())) {
      System.err.println(
          "error: --jar: "
              + options.jar().toAbsolutePath()
              + " is missing; build it with ./mvnw -B -q -DskipTests package, from the repository"
              + " root");
      System.exit(2);
      return;
    }
    Path root = Files.createTempDirectory("berth-footprint");
    Leftovers leftovers = new Leftovers(UUID.randomUUID().toString());
    Teardown teardown = new Teardown(root, leftovers);
    Runtime.getRuntime().addShutdownHook(new Thread(teardown, "footprint-teardown"));
    List<SetResult> results = new ArrayList<>();
    try (AgentClient client = new AgentClient()) {
      AgentFootprint bench = new AgentFootprint(options, root, leftovers, teardown, client);
      bench.header();
      bench.warmUp();
      for (int i = 0; i < options.optionSets().size(); i++) {
        JvmOptionSet set = options.optionSets().get(i);
        results.add(bench.measure(i, set));
        if (options.appCds()) {
          results.add(bench.measure(i, bench.trainAppCds(i, set)));
        }
      }
    } finally {
      teardown.run();
      summary(options, results);
    }
  }

  private void header() {
    System.out.printf(
        Locale.ROOT,
        "agent footprint: %s; %d cores; %s %s; %s %s%n",
        options.jar(),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        System.getProperty("os.name"),
        System.getProperty("os.version"));
    System.out.printf(
        Locale.ROOT,
        "%d cold and %d warm starts per option set; %d services (%d with an l4 route); settle %d"
            + " s, window %d s; work directory %s%n",
        options.runs(),
        options.runs(),
        options.services(),
        options.routes(),
        options.settle().toSeconds(),
        options.window().toSeconds(),
        root);
    for (JvmOptionSet set : options.optionSets()) {
      System.out.printf("  option set %-14s %s%n", set.name() + ":", set.describe());
    }
    long perSet =
        options.runs() * 4L
            + 15
            + options.settle().toSeconds()
            + options.window().toSeconds()
            + (options.adoptedWindow().isZero()
                ? 0
                : options.settle().toSeconds() + options.adoptedWindow().toSeconds());
    long estimate = options.optionSets().size() * (options.appCds() ? 2 * perSet + 10 : perSet);
    System.out.printf(Locale.ROOT, "this takes about %d s%n%n", estimate);
  }

  /**
   * One start that is not counted: it brings the jar into the page cache and loads this JVM's gRPC
   * client, whose first call would otherwise add its class loading to the first start measured.
   */
  private void warmUp() throws IOException, InterruptedException {
    Path dir = root.resolve("warm-up");
    AgentJvm agent =
        AgentJvm.launch(options.java(), options.jar(), options.optionSets().get(0), dir, teardown);
    Duration serving = agent.awaitServing(client);
    agent.terminate();
    deleteTree(dir);
    System.out.printf(
        Locale.ROOT, "warm-up start (not counted): serving after %d ms%n", serving.toMillis());
  }

  private SetResult measure(int index, JvmOptionSet set) throws IOException, InterruptedException {
    System.out.printf("%n== %s: %s%n", set.name(), set.describe());
    Starts cold = coldStarts(index, set);

    Path node = root.resolve("set-" + index + "-node");
    System.out.printf("  declaring %d services%n", services.count());
    AgentJvm agent = AgentJvm.launch(options.java(), options.jar(), set, node, teardown);
    agent.awaitServing(client);
    IdleWindow idle;
    try (AgentClient.Connection connection = client.connect(agent.socket())) {
      long applying = System.nanoTime();
      AgentProto.ApplyResponse applied = services.apply(connection);
      long appliedAt = System.nanoTime();
      Duration running = services.awaitRunning(connection);
      System.out.printf(
          Locale.ROOT,
          "  applied %d services in %d ms; all running %d ms later%n",
          applied.getChangesCount(),
          (appliedAt - applying) / 1_000_000,
          running.toMillis());
      System.out.printf("  settling %d s%n", options.settle().toSeconds());
      Thread.sleep(options.settle().toMillis());
      System.out.printf(
          "  idle window of %d s on agent pid %d%n", options.window().toSeconds(), agent.pid());
      idle = IdleWindow.measure(agent.pid(), options.window(), ticksPerSecond);
      print("idle", idle);
    }
    System.out.printf(
        "  agent stopped in %d ms (services keep running)%n", agent.terminate().toMillis());

    IdleWindow[] adopted = new IdleWindow[1];
    Starts warm = warmStarts(set, node, adopted);
    deleteTree(node);
    return new SetResult(set, cold, warm, idle, adopted[0]);
  }

  private static void print(String what, IdleWindow idle) {
    System.out.printf(
        Locale.ROOT,
        "  %s: RSS max %s, last %s, HWM %s (anon %s, files %s); CPU %.2f%% of a core; %d"
            + " threads%n",
        what,
        IdleWindow.mb(idle.maxRssKb()),
        IdleWindow.mb(idle.lastRssKb()),
        IdleWindow.mb(idle.hwmKb()),
        IdleWindow.mb(idle.rssAnonKb()),
        IdleWindow.mb(idle.rssFileKb()),
        idle.cpuPercent(),
        idle.threadCount());
    System.out.println("  threads: " + idle.describeThreads());
    System.out.println("  CPU time in the window by thread: " + idle.describeCpuByThread());
  }

  /**
   * Makes an AppCDS archive of the classes an agent loads while it starts, applies the services,
   * runs and deletes them (JDK 17's dynamic archive, written when the JVM exits after SIGTERM), and
   * returns {@code set} with the archive.
   */
  private JvmOptionSet trainAppCds(int index, JvmOptionSet set)
      throws IOException, InterruptedException {
    Path archive = root.resolve("set-" + index + ".jsa");
    Path dir = root.resolve("set-" + index + "-appcds-training");
    List<String> training = new ArrayList<>(set.options());
    training.add("-XX:ArchiveClassesAtExit=" + archive);
    System.out.printf("%n== AppCDS archive for %s: one training run%n", set.name());
    long began = System.nanoTime();
    AgentJvm agent =
        AgentJvm.launch(
            options.java(),
            options.jar(),
            new JvmOptionSet(set.name() + "-training", training),
            dir,
            teardown);
    agent.awaitServing(client);
    try (AgentClient.Connection connection = client.connect(agent.socket())) {
      services.apply(connection);
      services.awaitRunning(connection);
      services.deleteAll(connection);
    }
    agent.terminate();
    if (!Files.isRegularFile(archive)) {
      throw new IllegalStateException(
          "the training run wrote no archive " + archive + ":\n" + agent.log());
    }
    System.out.printf(
        Locale.ROOT,
        "  %s: %.1f MiB, made in %d ms%n",
        archive,
        Files.size(archive) / 1048576.0,
        (System.nanoTime() - began) / 1_000_000);
    deleteTree(dir);
    List<String> with = new ArrayList<>(set.options());
    with.add("-XX:SharedArchiveFile=" + archive);
    return new JvmOptionSet(set.name() + "+appcds", with);
  }

  private Starts coldStarts(int index, JvmOptionSet set) throws IOException, InterruptedException {
    List<Long> serving = new ArrayList<>();
    List<Long> reported = new ArrayList<>();
    List<Long> ready = new ArrayList<>();
    for (int run = 1; run <= options.runs(); run++) {
      Path dir = root.resolve("set-" + index + "-cold-" + run);
      AgentJvm agent = AgentJvm.launch(options.java(), options.jar(), set, dir, teardown);
      long served = agent.awaitServing(client).toMillis();
      long readyAt;
      try (AgentClient.Connection connection = client.connect(agent.socket())) {
        readyAt = agent.awaitReady(connection).toMillis();
      }
      OptionalLong own = agent.reportedStartMillis();
      Duration stop = agent.terminate();
      serving.add(served);
      own.ifPresent(reported::add);
      ready.add(readyAt);
      System.out.printf(
          Locale.ROOT,
          "  cold %d: serving after %4d ms (agent's ms=%s), ready after %4d ms; stopped in %d"
              + " ms%n",
          run,
          served,
          own.isPresent() ? Long.toString(own.getAsLong()) : "?",
          readyAt,
          stop.toMillis());
      deleteTree(dir);
    }
    return starts(serving, reported, ready);
  }

  /**
   * Restarts on the registry and the running services of {@code node}; the last agent deletes the
   * services and waits for their processes to end before it is stopped.
   */
  private Starts warmStarts(JvmOptionSet set, Path node, IdleWindow[] adopted)
      throws IOException, InterruptedException {
    List<Long> serving = new ArrayList<>();
    List<Long> reported = new ArrayList<>();
    List<Long> ready = new ArrayList<>();
    for (int run = 1; run <= options.runs(); run++) {
      AgentJvm agent = AgentJvm.launch(options.java(), options.jar(), set, node, teardown);
      long served = agent.awaitServing(client).toMillis();
      long readyAt;
      AgentProto.NodeStatusResponse status;
      try (AgentClient.Connection connection = client.connect(agent.socket())) {
        readyAt = agent.awaitReady(connection).toMillis();
        status = connection.nodeStatus();
        if (run == options.runs() && !options.adoptedWindow().isZero()) {
          System.out.printf(
              "  settling %d s, then an idle window of %d s on the agent that adopted the"
                  + " services (pid %d)%n",
              options.settle().toSeconds(), options.adoptedWindow().toSeconds(), agent.pid());
          Thread.sleep(options.settle().toMillis());
          adopted[0] = IdleWindow.measure(agent.pid(), options.adoptedWindow(), ticksPerSecond);
          print("adopted idle", adopted[0]);
        }
        if (run == options.runs()) {
          Duration deleted = services.deleteAll(connection);
          System.out.printf(
              Locale.ROOT,
              "  deleted the %d services; their processes ended within %d ms%n",
              services.count(),
              deleted.toMillis());
        }
      }
      OptionalLong own = agent.reportedStartMillis();
      Duration stop = agent.terminate();
      serving.add(served);
      own.ifPresent(reported::add);
      ready.add(readyAt);
      System.out.printf(
          Locale.ROOT,
          "  warm %d: serving after %4d ms (agent's ms=%s), ready after %4d ms, %d services, %d"
              + " running; stopped in %d ms%n",
          run,
          served,
          own.isPresent() ? Long.toString(own.getAsLong()) : "?",
          readyAt,
          status.getServices(),
          status.getComponentsByStateOrDefault("running", 0),
          stop.toMillis());
    }
    return starts(serving, reported, ready);
  }

  private static Starts starts(List<Long> serving, List<Long> reported, List<Long> ready) {
    return new Starts(
        Spread.of(serving), reported.isEmpty() ? null : Spread.of(reported), Spread.of(ready));
  }

  private static void summary(FootprintOptions options, List<SetResult> results) {
    if (results.isEmpty()) {
      return;
    }
    System.out.printf(
        Locale.ROOT,
        "%nSummary (%d cores, Java %s; times in ms as min / median / max of %d; targets: serving"
            + " <= %d ms, idle RSS <= %d MiB, idle CPU <= %.0f%%)%n%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        options.runs(),
        START_TARGET.toMillis(),
        RSS_TARGET_KB / 1024,
        CPU_TARGET_PERCENT);
    System.out.println(
        "| options | cold: serving | cold: agent ms= | cold: ready | warm: serving | warm: agent"
            + " ms= | warm: ready | idle RSS max / last | VmHWM | idle CPU | threads |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    for (SetResult result : results) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %s | %s | %s | %s | %s | %s | %s / %s | %s | %.2f%% | %d |%n",
          result.set().name(),
          result.cold().serving(),
          orUnknown(result.cold().reported()),
          result.cold().ready(),
          result.warm().serving(),
          orUnknown(result.warm().reported()),
          result.warm().ready(),
          IdleWindow.mb(result.idle().maxRssKb()),
          IdleWindow.mb(result.idle().lastRssKb()),
          IdleWindow.mb(result.idle().hwmKb()),
          result.idle().cpuPercent(),
          result.idle().threadCount());
    }
    if (results.stream().anyMatch(r -> r.adopted() != null)) {
      System.out.println();
      System.out.println(
          "| options | adopted idle RSS max / last | VmHWM | adopted idle CPU | threads |");
      System.out.println("|---|---|---|---|---|");
      for (SetResult result : results) {
        if (result.adopted() != null) {
          System.out.printf(
              Locale.ROOT,
              "| %s | %s / %s | %s | %.2f%% | %d |%n",
              result.set().name(),
              IdleWindow.mb(result.adopted().maxRssKb()),
              IdleWindow.mb(result.adopted().lastRssKb()),
              IdleWindow.mb(result.adopted().hwmKb()),
              result.adopted().cpuPercent(),
              result.adopted().threadCount());
        }
      }
    }
    System.out.println();
    for (SetResult result : results) {
      long worstStart = Math.max(result.cold().serving().max(), result.warm().serving().max());
      long worstRss = result.idle().maxRssKb();
      double worstCpu = result.idle().cpuPercent();
      if (result.adopted() != null) {
        worstRss = Math.max(worstRss, result.adopted().maxRssKb());
        worstCpu = Math.max(worstCpu, result.adopted().cpuPercent());
      }
      System.out.printf(
          Locale.ROOT,
          "%s (%s): start %s (slowest %d ms), RSS %s (max %s), CPU %s (%.2f%%)%n",
          result.set().name(),
          result.set().describe(),
          verdict(worstStart <= START_TARGET.toMillis()),
          worstStart,
          verdict(worstRss <= RSS_TARGET_KB),
          IdleWindow.mb(worstRss),
          verdict(worstCpu <= CPU_TARGET_PERCENT),
          worstCpu);
    }
  }

  private static String orUnknown(Spread spread) {
    return spread == null ? "?" : spread.toString();
  }

  private static String verdict(boolean met) {
    return met ? "met" : "MISSED";
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
