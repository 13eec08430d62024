package dev.berth.examples.engine;

import dev.berth.core.controller.Controller;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The demo's console logging: one line per record, on the same stream and with the same time stamp
 * as the progress lines, so that the two read as one story.
 *
 * <p>The controller logs a warning for every failed reconcile, with a stack trace on the first
 * failure of a streak. That is right for an agent, where a failure is news; here failures are
 * injected by the hundred, so after the first few such warnings the rest are counted, not printed.
 */
final class ConsoleLogging extends Handler {

  /** How many of the controller's warnings to print before muting the rest. */
  static final int SHOWN_CONTROLLER_WARNINGS = 3;

  /** Where the controller logs failed reconciles, apart from its other messages. */
  private static final String FAILURES_LOGGER = Controller.class.getName() + ".failures";

  private final PrintStream out;
  private final Stopwatch stopwatch;
  private final AtomicInteger controllerWarnings = new AtomicInteger();

  private ConsoleLogging(PrintStream out, Stopwatch stopwatch) {
    this.out = out;
    this.stopwatch = stopwatch;
    setLevel(Level.INFO);
    setFormatter(new OneLine());
  }

  /** Replaces java.util.logging's configuration with this handler on the root logger. */
  static ConsoleLogging install(PrintStream out, Stopwatch stopwatch) {
    LogManager.getLogManager().reset();
    ConsoleLogging handler = new ConsoleLogging(out, stopwatch);
    Logger root = Logger.getLogger("");
    root.setLevel(Level.INFO);
    root.addHandler(handler);
    return handler;
  }

  @Override
  public void publish(LogRecord record) {
    if (!isLoggable(record)) {
      return;
    }
    if (FAILURES_LOGGER.equals(record.getLoggerName()) && record.getLevel() == Level.WARNING) {
      int n = controllerWarnings.incrementAndGet();
      if (n == SHOWN_CONTROLLER_WARNINGS + 1) {
        out.println(
            stopwatch.stamp()
                + " (muting further warnings about failed reconciles: the faults are injected on"
                + " purpose; the summary counts them)");
      }
      if (n > SHOWN_CONTROLLER_WARNINGS) {
        return;
      }
    }
    out.println(getFormatter().format(record));
  }

  /** How many of the controller's warnings were not printed. */
  int muted() {
    return Math.max(0, controllerWarnings.get() - SHOWN_CONTROLLER_WARNINGS);
  }

  @Override
  public void flush() {
    out.flush();
  }

  @Override
  public void close() {
    flush();
  }

  /** {@code [ 1.25s] WARNING Controller: message (exception)}: never a stack trace. */
  private final class OneLine extends Formatter {

    @Override
    public String format(LogRecord record) {
      String logger = record.getLoggerName() == null ? "" : record.getLoggerName();
      String shortName = logger.substring(logger.lastIndexOf('.') + 1);
      String line =
          stopwatch.stamp()
              + " "
              + record.getLevel().getName()
              + " "
              + shortName
              + ": "
              + formatMessage(record);
      return record.getThrown() == null ? line : line + " (" + record.getThrown() + ")";
    }
  }
}
