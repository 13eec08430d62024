package dev.berth.bench.agent;

import dev.berth.spec.model.DurationSyntax;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** AgentFootprint's command line. */
record FootprintOptions(
    Path jar,
    Path java,
    int runs,
    int services,
    int routes,
    Duration settle,
    Duration window,
    Duration adoptedWindow,
    boolean appCds,
    List<JvmOptionSet> optionSets) {

  static final String USAGE =
      String.join(
          "\n",
          "usage: java -cp bench/target/benchmarks.jar dev.berth.bench.agent.AgentFootprint [options]",
          "  --jar PATH        the agent's jar (default runner/target/berth.jar)",
          "  --java PATH       the java launcher for the agent (default: this JVM's)",
          "  --runs N          cold and warm starts per option set (default 5)",
          "  --services N      services declared for the warm starts and the idle window (default"
              + " 100)",
          "  --routes N        how many of them get an l4 route, so a port (default 10)",
          "  --settle DURATION wait after every service runs, before the window (default 30s)",
          "  --window DURATION the idle measurement (default 60s)",
          "  --adopted-window DURATION",
          "                    also measure idle the last restarted agent, which adopted the",
          "                    services' processes instead of starting them (default 0s: not)",
          "  --appcds          also measure each option set with an AppCDS archive of the agent's",
          "                    classes, made first by one agent run with -XX:ArchiveClassesAtExit",
          "  --opts VALUE      a JVM option set, repeatable; replaces the default two sets",
          "                    (bin/berth and jvm-defaults). VALUE is bin/berth (the defaults in",
          "                    ./bin/berth), jvm-defaults (no option), NAME=OPTIONS or OPTIONS,",
          "                    such as --opts 'c1=-XX:TieredStopAtLevel=1 -Xss512k'");

  private static final Path BIN_BERTH = Path.of("bin", "berth");

  static FootprintOptions parse(String[] args) throws IOException {
    Path jar = Path.of("runner", "target", "berth.jar");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    int runs = 5;
    int services = 100;
    int routes = 10;
    Duration settle = Duration.ofSeconds(30);
    Duration window = Duration.ofSeconds(60);
    Duration adoptedWindow = Duration.ZERO;
    boolean appCds = false;
    List<JvmOptionSet> sets = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("-h") || name.equals("--help")) {
        throw new UsageRequested();
      }
      if (name.equals("--appcds")) {
        appCds = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(name + ": needs a value (or unknown option)");
      }
      String value = args[++i];
      switch (name) {
        case "--jar":
          jar = Path.of(value);
          break;
        case "--java":
          java = Path.of(value);
          break;
        case "--runs":
          runs = integer(name, value, 1, 100);
          break;
        case "--services":
          services = integer(name, value, 1, 2000);
          break;
        case "--routes":
          routes = integer(name, value, 0, 2000);
          break;
        case "--settle":
          settle = duration(name, value);
          break;
        case "--window":
          window = duration(name, value);
          break;
        case "--adopted-window":
          adoptedWindow = duration(name, value);
          break;
        case "--opts":
          sets.add(JvmOptionSet.parse(value, BIN_BERTH));
          break;
        default:
          throw new IllegalArgumentException(name + ": unknown option");
      }
    }
    if (routes > services) {
      throw new IllegalArgumentException(
          "--routes: must be at most --services (" + services + "), was " + routes);
    }
    if (window.toMillis() < 2000) {
      throw new IllegalArgumentException("--window: must be at least 2s, was " + window);
    }
    if (!adoptedWindow.isZero() && adoptedWindow.toMillis() < 2000) {
      throw new IllegalArgumentException(
          "--adopted-window: must be 0s or at least 2s, was " + adoptedWindow);
    }
    if (sets.isEmpty()) {
      sets.add(JvmOptionSet.fromBinBerth(BIN_BERTH));
      sets.add(JvmOptionSet.jvmDefaults());
    }
    return new FootprintOptions(
        jar, java, runs, services, routes, settle, window, adoptedWindow, appCds, sets);
  }

  private static int integer(String name, String value, int min, int max) {
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below, with the rule
    }
    throw new IllegalArgumentException(
        name + ": must be an integer " + min + ".." + max + ", was \"" + value + "\"");
  }

  /**
   * {@code 500ms}, {@code 30s}, {@code 2m}: a whole number and one unit ({@link DurationSyntax}).
   */
  static Duration duration(String name, String value) {
    Duration duration = DurationSyntax.parse(value.strip());
    if (duration == null) {
      throw new IllegalArgumentException(
          name
              + ": must be a duration such as "
              + DurationSyntax.EXAMPLES
              + ", was \""
              + value
              + "\"");
    }
    return duration;
  }

  /** -h or --help: print the usage and exit 0. */
  static final class UsageRequested extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageRequested() {
      super("usage requested", null, false, false);
    }
  }
}
