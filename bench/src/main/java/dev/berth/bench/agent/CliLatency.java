package dev.berth.bench.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * How long the {@code berth} CLI takes, as an operator runs it: {@code bin/berth status} against a
 * real agent (process runtime, unix socket, a temporary data directory) holding {@code --services}
 * running services, {@code bin/berth version} and {@code bin/berth --help}, beside a floor: a JVM
 * hello world with the launcher's JVM options. The four are run in turn, {@code --runs} rounds, so
 * that a change in the machine's load falls on all of them alike; each is run once first, uncounted
 * (the launcher may write its class-data archive then). Per command: the median wall time (from
 * creating the process until it was reaped) and the median CPU time (user + system of the process
 * and anything it waited for, from this JVM's {@code cutime} and {@code cstime} in /proc/self/stat,
 * which grow by each child's times when it is reaped), and the load average.
 *
 * <pre>
 * ./mvnw -B -q -DskipTests package
 * java -cp bench/target/benchmarks.jar dev.berth.bench.agent.CliLatency [--help]
 * </pre>
 */
public final class CliLatency {

  private static final Duration STATUS_TARGET = Duration.ofMillis(300);
  private static final Duration VERSION_TARGET = Duration.ofMillis(200);
  // The first run of a command may train the launcher's archive: on JDK 25 that takes up to a
  // minute
  // on a loaded machine.
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

  static final String USAGE =
      String.join(
          "\n",
          "usage: java -cp bench/target/benchmarks.jar dev.berth.bench.agent.CliLatency [options]",
          "  --launcher PATH   the CLI's launcher (default bin/berth)",
          "  --jar PATH        the jar, given to the launcher as BERTH_JAR (default"
              + " runner/target/berth.jar)",
          "  --java PATH       the java the launcher and the floor run: its directory goes first"
              + " on PATH (default: this JVM's)",
          "  --runs N          counted runs of each command (default 20)",
          "  --services N      services the agent holds for status (default 20)",
          "  --env NAME=VALUE  an environment variable for the launcher, repeatable (such as"
              + " BERTH_JAVA_OPTS=...)",
          "  --variant 'LABEL|NAME=VALUE|...'",
          "                    also measure the three commands with these variables added,",
          "                    repeatable, interleaved with the rest: compares settings under the",
          "                    same load");

  /**
   * One command measured: its name, its command line (the floor has no launcher) and the variables
   * it runs with beside the common ones.
   */
  private record Subject(String name, List<String> command, Map<String, String> variables) {}

  /** One run: wall and CPU time in milliseconds. */
  private record Run(long wallMillis, long cpuMillis) {}

  private final Path java;
  private final Map<String, String> environment;
  private final Path work;
  private final long ticksPerSecond = ProcFs.clockTicksPerSecond();

  private CliLatency(Path java, Map<String, String> environment, Path work) {
    this.java = java;
    this.environment = environment;
    this.work = work;
  }

  public static void main(String[] args) throws Exception {
    Path launcher = Path.of("bin", "berth");
    Path jar = Path.of("runner", "target", "berth.jar");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    int runs = 20;
    int services = 20;
    Map<String, String> extra = new LinkedHashMap<>();
    Map<String, Map<String, String>> variants = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("-h") || args[i].equals("--help")) {
        System.out.println(USAGE);
        return;
      }
      if (i + 1 >= args.length) {
        usage(args[i] + ": needs a value (or unknown option)");
        return;
      }
      String value = args[++i];
      switch (args[i - 1]) {
        case "--launcher" -> launcher = Path.of(value);
        case "--jar" -> jar = Path.of(value);
        case "--java" -> java = Path.of(value);
        case "--runs" -> runs = Integer.parseInt(value);
        case "--services" -> services = Integer.parseInt(value);
        case "--variant" -> {
          String[] words = value.strip().split("\\|");
          Map<String, String> variables = new LinkedHashMap<>();
          for (int w = 1; w < words.length; w++) {
            int equals = words[w].indexOf('=');
            if (equals <= 0) {
              usage("--variant: each part after the label must be NAME=VALUE, was " + words[w]);
              return;
            }
            variables.put(words[w].substring(0, equals), words[w].substring(equals + 1));
          }
          variants.put(words[0], variables);
        }
        case "--env" -> {
          int equals = value.indexOf('=');
          if (equals <= 0) {
            usage("--env: must be NAME=VALUE, was \"" + value + "\"");
            return;
          }
          extra.put(value.substring(0, equals), value.substring(equals + 1));
        }
        default -> {
          usage(args[i - 1] + ": unknown option");
          return;
        }
      }
    }
    if (!Files.isRegularFile(jar) || !Files.isRegularFile(launcher)) {
      usage(
          "--jar "
              + jar.toAbsolutePath()
              + " or --launcher "
              + launcher.toAbsolutePath()
              + " is missing; build with ./mvnw -B -q -DskipTests package, from the repository"
              + " root");
      return;
    }
    JvmOptionSet launcherOptions = JvmOptionSet.fromBinBerth(launcher);
    if (extra.containsKey("BERTH_JAVA_OPTS")) {
      launcherOptions =
          JvmOptionSet.parse("BERTH_JAVA_OPTS=" + extra.get("BERTH_JAVA_OPTS"), launcher);
    }

    Path root = Files.createTempDirectory("berth-cli-latency");
    Leftovers leftovers = new Leftovers(UUID.randomUUID().toString());
    Teardown teardown = new Teardown(root, leftovers);
    Runtime.getRuntime().addShutdownHook(new Thread(teardown, "cli-latency-teardown"));
    try (AgentClient client = new AgentClient()) {
      Map<String, String> environment = new LinkedHashMap<>();
      environment.put("BERTH_JAR", jar.toAbsolutePath().toString());
      environment.put(
          "PATH",
          java.toAbsolutePath().getParent() + ":" + System.getenv().getOrDefault("PATH", ""));
      environment.putAll(extra);
      CliLatency bench = new CliLatency(java, environment, root);
      System.out.printf(
          Locale.ROOT,
          "cli latency: %s with %s (BERTH_JAR=%s); java %s; %d cores; load %s%n",
          launcher,
          launcherOptions.describe(),
          jar,
          java,
          Runtime.getRuntime().availableProcessors(),
          loadAverage());
      for (Map.Entry<String, String> each : extra.entrySet()) {
        System.out.println("  " + each.getKey() + "=" + each.getValue());
      }

      // The agent runs as bin/berth would run it, without the CLI archive's questions: its own
      // options from the launcher, through the same java.
      AgentJvm agent =
          AgentJvm.launch(
              java, jar, JvmOptionSet.fromBinBerth(launcher), root.resolve("node"), teardown);
      agent.awaitServing(client);
      IdleServices declared = new IdleServices(services, 0, leftovers);
      try (AgentClient.Connection connection = client.connect(agent.socket())) {
        declared.apply(connection);
        declared.awaitRunning(connection);
        System.out.printf(
            "agent pid %d serving %d running services on %s%n",
            agent.pid(), services, agent.socket());

        String berth = launcher.toAbsolutePath().toString();
        Map<String, Map<String, String>> all = new LinkedHashMap<>();
        all.put("", Map.of());
        all.putAll(variants);
        List<Subject> subjects = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> variant : all.entrySet()) {
          String prefix = variant.getKey().isEmpty() ? "" : variant.getKey() + ": ";
          subjects.add(
              new Subject(
                  prefix + "status",
                  List.of(berth, "status", "--socket", agent.socket().toString()),
                  variant.getValue()));
          subjects.add(
              new Subject(prefix + "version", List.of(berth, "version"), variant.getValue()));
          subjects.add(
              new Subject(prefix + "--help", List.of(berth, "--help"), variant.getValue()));
        }
        subjects.add(new Subject("floor", bench.floorCommand(launcherOptions), Map.of()));
        for (Map.Entry<String, Map<String, String>> variant : variants.entrySet()) {
          System.out.println("variant " + variant.getKey() + ": " + variant.getValue());
        }
        for (Subject subject : subjects) {
          Run first = bench.run(subject);
          System.out.printf(
              Locale.ROOT,
              "first run (not counted) %-20s wall %5d ms, CPU %5d ms%n",
              subject.name(),
              first.wallMillis(),
              first.cpuMillis());
        }
        Map<String, List<Run>> measured = new LinkedHashMap<>();
        String loadBefore = loadAverage();
        for (int round = 0; round < runs; round++) {
          for (Subject subject : subjects) {
            measured
                .computeIfAbsent(subject.name(), name -> new ArrayList<>())
                .add(bench.run(subject));
          }
        }
        String loadAfter = loadAverage();
        summary(measured, runs, loadBefore, loadAfter);
        declared.deleteAll(connection);
      }
      agent.terminate();
    } finally {
      teardown.run();
    }
  }

  private static void usage(String message) {
    System.err.println("error: " + message);
    System.err.println(USAGE);
    System.exit(2);
  }

  /** The floor: this package's hello world, from a directory holding its class file alone. */
  private List<String> floorCommand(JvmOptionSet options) throws IOException {
    String resource = CliLatencyFloor.class.getName().replace('.', '/') + ".class";
    Path classes = work.resolve("floor");
    Path file = classes.resolve(resource);
    Files.createDirectories(file.getParent());
    try (InputStream in = CliLatency.class.getClassLoader().getResourceAsStream(resource)) {
      Files.write(file, in.readAllBytes());
    }
    List<String> command = new ArrayList<>();
    command.add(java.toAbsolutePath().toString());
    command.addAll(options.options());
    command.addAll(List.of("-cp", classes.toString(), CliLatencyFloor.class.getName()));
    return command;
  }

  /** Runs one command to its end; fails the benchmark unless it exits 0 with some output. */
  private Run run(Subject subject) throws IOException, InterruptedException {
    Path out = work.resolve("out.txt");
    Path err = work.resolve("err.txt");
    ProcessBuilder builder =
        new ProcessBuilder(subject.command())
            .directory(work.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().putAll(environment);
    builder.environment().putAll(subject.variables());
    long cpuBefore = childrenCpuTicks();
    long began = System.nanoTime();
    Process process = builder.start();
    if (!process.waitFor(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(subject.name() + " did not end within " + RUN_TIMEOUT);
    }
    long wall = (System.nanoTime() - began) / 1_000_000;
    long cpu = (childrenCpuTicks() - cpuBefore) * 1000 / ticksPerSecond;
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    if (process.exitValue() != 0 || Files.size(out) == 0) {
      throw new IllegalStateException(
          subject.name() + " exited with " + process.exitValue() + ", stderr:\n" + stderr);
    }
    if (!stderr.isBlank()) {
      throw new IllegalStateException(subject.name() + " wrote to stderr:\n" + stderr);
    }
    return new Run(wall, cpu);
  }

  /** cutime + cstime of this JVM: the CPU time of every child it has reaped, in clock ticks. */
  private static long childrenCpuTicks() throws IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // fields[0] is field 3 (state): cutime (16) and cstime (17) are at 13 and 14.
    return Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
  }

  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return "?";
    }
  }

  private static void summary(
      Map<String, List<Run>> measured, int runs, String loadBefore, String loadAfter) {
    System.out.printf(
        Locale.ROOT,
        "%nmedians of %d runs each, interleaved; load average (1, 5, 15 min) %s before, %s after;"
            + " targets: status <= %d ms, version <= %d ms%n%n",
        runs,
        loadBefore,
        loadAfter,
        STATUS_TARGET.toMillis(),
        VERSION_TARGET.toMillis());
    System.out.println("| command | wall median | wall min / max | CPU median |");
    System.out.println("|---|---:|---:|---:|");
    for (Map.Entry<String, List<Run>> each : measured.entrySet()) {
      List<Long> wall = new ArrayList<>();
      List<Long> cpu = new ArrayList<>();
      for (Run run : each.getValue()) {
        wall.add(run.wallMillis());
        cpu.add(run.cpuMillis());
      }
      Collections.sort(wall);
      Collections.sort(cpu);
      System.out.printf(
          Locale.ROOT,
          "| %s | %d ms | %d / %d ms | %d ms |%n",
          each.getKey(),
          median(wall),
          wall.get(0),
          wall.get(wall.size() - 1),
          median(cpu));
    }
  }

  private static long median(List<Long> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
