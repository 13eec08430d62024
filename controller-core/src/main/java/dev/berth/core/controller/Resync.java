package dev.berth.core.controller;

import dev.berth.core.time.Cancellable;
import dev.berth.core.time.Clock;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Lists every key at start and again every period, plus jitter so that many controllers or nodes do
 * not resync in step. A failed listing is retried sooner, from {@link #LIST_RETRY_BASE} doubling up
 * to the period, and logged.
 *
 * @param <K> the key type
 */
final class Resync<K> {

  /** The first retry of a failed key listing; it doubles up to the resync period. */
  static final Duration LIST_RETRY_BASE = Duration.ofSeconds(1);

  private static final System.Logger LOG = System.getLogger(Controller.class.getName());

  private final String controller;
  private final KeyLister<K> lister;
  private final Duration period;
  private final double jitter;
  private final Clock clock;

  /** Runs a task on the controller's background thread: never list on the clock's timer. */
  private final Consumer<Runnable> background;

  /** Told of each successful listing. */
  private final Consumer<Collection<K>> listed;

  /**
   * Listings failed in a row since the last success: 0 after a success, so the next failure is
   * retried after the base delay again. Guarded by this, as the fields below are.
   */
  private int failedListings;

  /** The one scheduled listing, or null before the first and after {@link #stop}. */
  private Cancellable next;

  /** Once true, nothing is scheduled any more and a listing that fires does nothing. */
  private boolean stopped;

  Resync(
      String controller,
      KeyLister<K> lister,
      Duration period,
      double jitter,
      Clock clock,
      Consumer<Runnable> background,
      Consumer<Collection<K>> listed) {
    this.controller = controller;
    this.lister = Objects.requireNonNull(lister, "lister");
    this.period = Objects.requireNonNull(period, "period");
    this.jitter = jitter;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.background = Objects.requireNonNull(background, "background");
    this.listed = Objects.requireNonNull(listed, "listed");
  }

  /** The first listing, now, on the background thread. */
  void start() {
    background.accept(this::list);
  }

  synchronized void stop() {
    stopped = true;
    if (next != null) {
      next.cancel();
    }
  }

  private void list() {
    synchronized (this) {
      if (stopped) {
        return;
      }
    }
    Collection<K> keys;
    try {
      keys = lister.listKeys();
    } catch (Exception e) {
      schedule(retryDelay(), e);
      return;
    }
    synchronized (this) {
      failedListings = 0;
    }
    listed.accept(keys);
    schedule(jitteredPeriod(), null);
  }

  private synchronized Duration retryDelay() {
    failedListings++;
    long factor = 1L << Math.min(failedListings - 1, 20);
    Duration delay = LIST_RETRY_BASE.multipliedBy(factor);
    return delay.compareTo(period) < 0 ? delay : period;
  }

  private Duration jitteredPeriod() {
    long extra = (long) (period.toNanos() * jitter * ThreadLocalRandom.current().nextDouble());
    return period.plusNanos(extra);
  }

  private synchronized void schedule(Duration delay, Exception listingFailure) {
    if (stopped) {
      return;
    }
    if (listingFailure != null) {
      LOG.log(
          Level.WARNING,
          "controller " + controller + ": listing keys failed; trying again in " + delay,
          listingFailure);
    }
    next = clock.schedule(delay, () -> background.accept(this::list));
  }
}
