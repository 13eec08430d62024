package dev.berth.runner.security;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs refused callers at INFO, at most once per caller and reason per window, so that a client
 * retrying in a loop (or a scan) cannot flood the log. The line that ends a quiet window says how
 * many refusals it left out. Never logs a credential: only the reason, the peer and the method.
 */
final class RefusalLog {

  /** One line a minute per caller and reason is enough to see who knocks, and how often. */
  static final long DEFAULT_WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** Past this many distinct callers the memory is forgotten rather than grown without bound. */
  private static final int MAX_TRACKED = 1024;

  private final Logger log;
  private final long windowNanos;
  private final LongSupplier nanoTime;

  /** Guarded by {@code this}: per caller and reason, when its window opened and what it hid. */
  private final Map<String, Window> windows = new HashMap<>();

  RefusalLog(Logger log) {
    this(log, DEFAULT_WINDOW_NANOS, System::nanoTime);
  }

  RefusalLog(Logger log, long windowNanos, LongSupplier nanoTime) {
    this.log = log;
    this.windowNanos = windowNanos;
    this.nanoTime = nanoTime;
  }

  /**
   * Records a refusal.
   *
   * @param reason why, without any secret (e.g. "no client certificate")
   * @param caller who, as far as the transport tells (a subject, a peer host)
   * @param method the full gRPC method name
   */
  void refused(String reason, String caller, String method) {
    long suppressed;
    synchronized (this) {
      long now = nanoTime.getAsLong();
      String key = reason + '\n' + caller;
      Window window = windows.get(key);
      if (window != null && now - window.openedAt < windowNanos) {
        window.suppressed++;
        return;
      }
      if (windows.size() >= MAX_TRACKED) {
        windows.clear();
      }
      suppressed = window == null ? 0 : window.suppressed;
      windows.put(key, new Window(now));
    }
    log.atInfo()
        .setMessage("refused a call: {}")
        .addArgument(reason)
        .addKeyValue("caller", caller)
        .addKeyValue("method", method)
        .addKeyValue("suppressed", suppressed)
        .log();
  }

  private static final class Window {
    final long openedAt;
    long suppressed;

    Window(long openedAt) {
      this.openedAt = openedAt;
    }
  }
}
