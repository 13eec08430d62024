package dev.berth.core.time;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A clock that moves only when told to, for deterministic tests of delays, backoff and resync.
 *
 * <p>{@link #advance(Duration)} runs every task that falls due, in order of due time, on the
 * calling thread, and sets the time of each task's due moment before running it, so a task that
 * schedules another one inside the advanced window sees that one run too. Public for embedders'
 * tests.
 */
public final class ManualClock implements Clock {

  private final Object lock = new Object();
  private final PriorityQueue<Timer> timers =
      new PriorityQueue<>(
          (a, b) ->
              a.dueAt != b.dueAt ? Long.compare(a.dueAt, b.dueAt) : Long.compare(a.seq, b.seq));
  private volatile long now;
  private long nextSeq;

  /** A clock at time 0 that moves only when advanced. */
  public ManualClock() {
    this(0);
  }

  /** A clock at {@code startNanos} (its {@link #nanoTime()}) that moves only when advanced. */
  public ManualClock(long startNanos) {
    this.now = startNanos;
  }

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    synchronized (lock) {
      Timer timer = new Timer(now + Math.max(0, delay.toNanos()), nextSeq++, task);
      timers.add(timer);
      return () -> {
        synchronized (lock) {
          timers.remove(timer);
        }
      };
    }
  }

  /** Moves time forward by {@code amount} and runs what falls due; returns how many tasks ran. */
  public int advance(Duration amount) {
    if (amount.isNegative()) {
      throw new IllegalArgumentException("time only moves forward: " + amount);
    }
    long target;
    synchronized (lock) {
      target = now + amount.toNanos();
    }
    int ran = 0;
    while (true) {
      Timer due;
      synchronized (lock) {
        due = timers.peek();
        if (due == null || due.dueAt > target) {
          now = target;
          return ran;
        }
        timers.poll();
        now = Math.max(now, due.dueAt);
      }
      // Outside the lock: a task may schedule or cancel timers.
      due.task.run();
      ran++;
    }
  }

  /** Due times (relative to now) of the tasks not yet run, soonest first. */
  public List<Duration> pendingTimers() {
    synchronized (lock) {
      List<Duration> pending = new ArrayList<>();
      timers.stream()
          .sorted(timers.comparator())
          .forEach(t -> pending.add(Duration.ofNanos(t.dueAt - now)));
      return pending;
    }
  }

  private record Timer(long dueAt, long seq, Runnable task) {}
}
