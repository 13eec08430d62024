package dev.berth.reconcilers.stage;

import dev.berth.core.stage.Readiness;
import dev.berth.core.stage.ReadinessCheck;
import dev.berth.core.time.Cancellable;
import dev.berth.core.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Watches the readiness of the boot stages that services wait for, off the gate's thread, and says
 * at once when one turns ready, so that what it holds back goes on within a probe period instead of
 * at some later recheck.
 *
 * <p>A stage is watched from the first time its readiness is asked for until it is found ready:
 * checked then, and every {@link #PERIOD} after (a probe has no event to wait for: a server says
 * nothing when it starts to listen). A stage nobody waits for costs nothing. The gate reads the
 * last answer, so admitting never waits for a probe; an answer older than {@link #FRESH} is not
 * trusted (a stage that was up may have gone down since) and the stage is checked again first.
 * Whenever a watched stage is found ready, {@code ready} is told, and the service loop offers its
 * held services to the gate again.
 *
 * <p>Checking every quarter second replaces an earlier backoff (1 s doubling to 30 s) under which a
 * stage found ready only at its next recheck let the next one start up to 30 s late. Four loopback
 * probes a second (a TCP connect, an HTTP GET or a gRPC health check per component of the stage
 * waited for, and only while it is waited for) cost little; kubelet probes readiness without
 * backoff too.
 */
final class StageWatch implements AutoCloseable {

  /** How often a stage waited for is checked: a stage found ready lets the next in within it. */
  static final Duration PERIOD = Duration.ofMillis(250);

  /** How long an answer is trusted: a few periods, so that a busy gate still finds it fresh. */
  static final Duration FRESH = PERIOD.multipliedBy(4);

  private final List<ReadinessCheck> checks;
  private final Clock clock;
  private final Executor executor;
  private final Runnable ready;

  // Guarded by this; indexed like checks.
  private final Readiness[] answers;
  private final long[] answeredAt;
  private final boolean[] watched;
  private Cancellable next;
  private boolean queued;
  private boolean closed;

  /**
   * @param checks each stage's own check, probes included; called on {@code executor}
   * @param executor where checks run: one thread of their own (a direct executor in tests)
   * @param ready told, on the executor, whenever a watched stage is found ready
   */
  StageWatch(List<ReadinessCheck> checks, Clock clock, Executor executor, Runnable ready) {
    this.checks = List.copyOf(checks);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.ready = Objects.requireNonNull(ready, "ready");
    this.answers = new Readiness[this.checks.size()];
    this.answeredAt = new long[this.checks.size()];
    this.watched = new boolean[this.checks.size()];
  }

  /** The readiness of stage {@code i} as the gate asks for it: the last fresh answer. */
  ReadinessCheck stage(int i) {
    return () -> answer(i);
  }

  /**
   * A workload of stage {@code i} changed: its last answer no longer holds (a ready stage whose
   * containers just vanished is not ready, however fresh the answer), so it is checked now, and
   * until then the gate is told it is being checked.
   */
  void changed(int i) {
    synchronized (this) {
      answers[i] = null;
      watched[i] = true;
    }
    checkSoon();
  }

  private Readiness answer(int i) {
    Readiness fresh = fresh(i);
    if (fresh != null) {
      return fresh;
    }
    checkSoon();
    fresh = fresh(i); // a direct executor has checked already
    return fresh != null ? fresh : Readiness.notReady("being checked");
  }

  /**
   * The last answer if it is fresh, else null. Either way a stage that is not known to be ready
   * from now on is watched.
   */
  private synchronized Readiness fresh(int i) {
    Readiness answer = answers[i];
    boolean isFresh = answer != null && clock.nanoTime() - answeredAt[i] <= FRESH.toNanos();
    if (!isFresh || !answer.ready()) {
      watched[i] = true;
    }
    return isFresh ? answer : null;
  }

  /** Has the watched stages checked on the executor, once however many ask before it starts. */
  private void checkSoon() {
    synchronized (this) {
      if (queued || closed) {
        return;
      }
      queued = true;
    }
    try {
      executor.execute(this::checkWatched);
    } catch (RejectedExecutionException stopped) {
      // Closed meanwhile: the node is stopping.
    }
  }

  /** Checks every watched stage, tells {@code ready} if one is, and comes again while some are. */
  private void checkWatched() {
    List<Integer> due = new ArrayList<>();
    synchronized (this) {
      queued = false;
      for (int i = 0; i < watched.length; i++) {
        if (watched[i]) {
          due.add(i);
        }
      }
    }
    boolean foundReady = false;
    for (int i : due) {
      Readiness readiness = check(checks.get(i));
      synchronized (this) {
        answers[i] = readiness;
        answeredAt[i] = clock.nanoTime();
        if (readiness.ready()) {
          watched[i] = false;
          foundReady = true;
        }
      }
    }
    if (foundReady) {
      ready.run();
    }
    synchronized (this) {
      if (!closed && next == null && anyWatched()) {
        next = clock.schedule(PERIOD, this::periodic);
      }
    }
  }

  private void periodic() {
    synchronized (this) {
      next = null;
    }
    checkSoon();
  }

  private static Readiness check(ReadinessCheck check) {
    try {
      return Objects.requireNonNull(check.check(), "readiness check returned null");
    } catch (Exception e) {
      return Readiness.notReady(String.valueOf(e.getMessage()));
    }
  }

  private boolean anyWatched() {
    for (boolean w : watched) {
      if (w) {
        return true;
      }
    }
    return false;
  }

  /** Stops checking; the executor is the caller's to shut down. */
  @Override
  public synchronized void close() {
    closed = true;
    if (next != null) {
      next.cancel();
      next = null;
    }
  }
}
