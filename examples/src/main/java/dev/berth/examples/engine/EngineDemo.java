package dev.berth.examples.engine;

import java.util.List;

/**
 * Runs Berth's reconcile engine over a few thousand simulated services and reports what it did.
 * This is README command (1) until the real agent exists; {@code --help} says what it shows.
 */
public final class EngineDemo {

  private EngineDemo() {}

  public static void main(String[] args) {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.print(DemoOptions.USAGE);
      return;
    }
    DemoOptions options;
    try {
      options = DemoOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("berth-engine-demo: " + e.getMessage());
      System.err.print(DemoOptions.USAGE);
      System.exit(2);
      return;
    }
    Stopwatch stopwatch = new Stopwatch();
    ConsoleLogging logging = ConsoleLogging.install(System.out, stopwatch);
    DemoReport report = new DemoRun(options, System.out, stopwatch).run();
    Summary.print(System.out, report, logging.muted());
    System.out.flush();
    // Every engine thread has stopped by now; exit only to report the outcome.
    System.exit(report.succeeded() ? 0 : 1);
  }
}
