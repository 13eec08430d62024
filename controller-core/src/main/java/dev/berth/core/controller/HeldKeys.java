package dev.berth.core.controller;

import dev.berth.core.stage.Admission;
import dev.berth.core.stage.Gate;
import dev.berth.core.time.Cancellable;
import dev.berth.core.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The keys a {@link Gate} did not admit, and their recheck: held keys are not reconciled and are
 * offered to the gate again every recheck period, or at once on {@link #offerNow}. Waiting is never
 * done on a thread: a held key is simply not in the queue until the gate lets it go.
 *
 * @param <K> the key type
 */
final class HeldKeys<K> {

  private final Gate<K> gate;
  private final Duration recheck;
  private final Clock clock;

  /** Runs a task on the controller's background thread: asking the gate may be slow. */
  private final Consumer<Runnable> background;

  /** Where released keys go: the controller's queue, in the resync lane. */
  private final Consumer<List<K>> release;

  /**
   * Each key the gate refused on its last look, with that answer. A key leaves when the gate admits
   * it (at the worker's next look or at a recheck); an enqueue does not free it, the worker's look
   * at the enqueued key does. A key here may also be waiting in the queue.
   */
  private final Map<K, Admission> held = new ConcurrentHashMap<>();

  /**
   * The one scheduled periodic recheck, or null: there is one exactly while keys are held and the
   * hold was not {@link #stop stopped}. Guarded by this, as {@code stopped} is.
   */
  private Cancellable nextRecheck;

  private boolean stopped;

  HeldKeys(
      Gate<K> gate,
      Duration recheck,
      Clock clock,
      Consumer<Runnable> background,
      Consumer<List<K>> release) {
    this.gate = Objects.requireNonNull(gate, "gate");
    this.recheck = Objects.requireNonNull(recheck, "recheck");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.background = Objects.requireNonNull(background, "background");
    this.release = Objects.requireNonNull(release, "release");
  }

  /**
   * Asks the gate about {@code key}; a key it does not admit is held (a failing gate holds it too).
   *
   * @return the gate's answer
   */
  Admission admit(K key) {
    Admission admission;
    try {
      admission = Objects.requireNonNull(gate.admit(key), "gate answered null");
    } catch (RuntimeException e) {
      admission = Admission.waitingFor("gate", "the gate failed: " + e);
    }
    if (admission.admitted()) {
      if (!held.isEmpty()) {
        held.remove(key);
      }
    } else {
      held.put(key, admission);
      scheduleRecheck();
    }
    return admission;
  }

  /**
   * Offers the held keys to the gate now, on the background thread, rather than at the next
   * periodic recheck. Cheap when nothing is held.
   */
  void offerNow() {
    if (!held.isEmpty()) {
      background.accept(this::offer);
    }
  }

  /** Ends the periodic recheck; keys held stay listed but are never released. */
  synchronized void stop() {
    stopped = true;
    if (nextRecheck != null) {
      nextRecheck.cancel();
    }
  }

  int size() {
    return held.size();
  }

  Map<K, Admission> snapshot() {
    return new HashMap<>(held);
  }

  private synchronized void scheduleRecheck() {
    if (nextRecheck == null && !stopped) {
      nextRecheck = clock.schedule(recheck, () -> background.accept(this::periodicRecheck));
    }
  }

  /** The periodic recheck: offers the held keys, and comes again while some are still held. */
  private void periodicRecheck() {
    synchronized (this) {
      nextRecheck = null;
    }
    offer();
    if (!held.isEmpty()) {
      scheduleRecheck();
    }
  }

  /**
   * Asks the gate once per group of held keys that wait for the same thing, not once per key, so a
   * thousand keys held behind one stage cost one readiness check. When the answer changes, the
   * whole group is released.
   */
  private void offer() {
    Map<String, List<K>> byWaitingFor = new HashMap<>();
    held.forEach(
        (key, admission) ->
            byWaitingFor.computeIfAbsent(admission.waitingFor(), w -> new ArrayList<>()).add(key));
    for (var group : byWaitingFor.entrySet()) {
      Admission now;
      try {
        now = gate.admit(group.getValue().get(0));
      } catch (RuntimeException e) {
        continue;
      }
      if (now.admitted() || !Objects.equals(now.waitingFor(), group.getKey())) {
        group.getValue().forEach(held::remove);
        release.accept(group.getValue());
      } else {
        group.getValue().forEach(key -> held.replace(key, now));
      }
    }
  }
}
