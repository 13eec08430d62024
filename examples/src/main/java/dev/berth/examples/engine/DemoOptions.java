package dev.berth.examples.engine;

import java.time.Duration;
import java.util.Locale;

/**
 * What the demo runs with; {@link #parse} reads them from the command line.
 *
 * @param keys how many services to declare
 * @param workers how many reconciles run at once
 * @param resyncPeriod how often the controller lists and re-checks every key
 * @param failureRate the share of runtime calls that fail for a passing reason
 * @param seed the seed of the simulated world and of its faults
 * @param timing how slow the simulated runtime is
 */
record DemoOptions(
    int keys, int workers, Duration resyncPeriod, double failureRate, long seed, Timing timing) {

  static final String USAGE =
      """
      usage: java -jar examples/target/berth-engine-demo.jar [options]

      Runs Berth's reconcile engine (controller-core) over simulated services: an ordered boot,
      thousands of keys converging through a worker pool, injected failures retried with backoff,
      invalid specs parked, fresh changes overtaking the backlog, and drift repaired by the
      periodic resync. Prints progress, then a summary; exits 0 only if everything that can
      converge did.

        --keys N           services to declare (default 5000, at least 50)
        --workers N        reconcile workers (default 8)
        --resync-ms N      period of the full resync in milliseconds (default 2000)
        --failure-rate P   share of runtime calls that fail transiently, 0 to 0.5 (default 0.03)
        --seed N           seed of the simulated world and its faults (default 42)
        --quick            a runtime a hundred times faster (what the tests use)
        --help             print this and exit
      """;

  static DemoOptions defaults() {
    return new DemoOptions(5000, 8, Duration.ofSeconds(2), 0.03, 42, Timing.realistic());
  }

  /**
   * @throws IllegalArgumentException naming the option at fault
   */
  static DemoOptions parse(String... args) {
    DemoOptions defaults = defaults();
    int keys = defaults.keys();
    int workers = defaults.workers();
    Duration resync = defaults.resyncPeriod();
    double failureRate = defaults.failureRate();
    long seed = defaults.seed();
    Timing timing = defaults.timing();
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      switch (option) {
        case "--keys" -> keys = (int) number(args, ++i, option, Scenario.MIN_KEYS, 1_000_000);
        case "--workers" -> workers = (int) number(args, ++i, option, 1, 256);
        case "--resync-ms" -> resync = Duration.ofMillis(number(args, ++i, option, 100, 600_000));
        case "--failure-rate" -> failureRate = fraction(args, ++i, option, 0.5);
        case "--seed" -> seed = number(args, ++i, option, Long.MIN_VALUE, Long.MAX_VALUE);
        case "--quick" -> timing = Timing.quick();
        default -> throw new IllegalArgumentException("unknown option: " + option);
      }
    }
    return new DemoOptions(keys, workers, resync, failureRate, seed, timing);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static long number(String[] args, int i, String option, long min, long max) {
    String text = value(args, i, option);
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": not a whole number: " + text, e);
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          option + ": must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  private static double fraction(String[] args, int i, String option, double max) {
    String text = value(args, i, option);
    double value;
    try {
      value = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": not a number: " + text, e);
    }
    if (!(value >= 0 && value <= max)) {
      throw new IllegalArgumentException(
          option + ": must be between 0 and " + max + ", was " + text);
    }
    return value;
  }

  /** One line for the header: 8 workers, resync every 2.00 s, 3.0% of calls fail, seed 42. */
  String describe() {
    return String.format(
        Locale.ROOT,
        "%d workers, full resync every %s, %.1f%% of runtime calls fail, seed %d%s",
        workers,
        DemoFormat.duration(resyncPeriod),
        failureRate * 100,
        seed,
        timing.equals(Timing.quick()) ? ", quick runtime" : "");
  }
}
