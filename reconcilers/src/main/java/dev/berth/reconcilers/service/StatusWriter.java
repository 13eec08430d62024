package dev.berth.reconcilers.service;

import dev.berth.store.registry.ComponentStatus;
import dev.berth.store.registry.Condition;
import dev.berth.store.registry.NewEvent;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryException;
import dev.berth.store.registry.ServiceEvent;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Writes what the service loop observes (component status, conditions, events) to the registry.
 *
 * <p>Two things keep it cheap. A service whose status did not change since the last write causes no
 * write at all, so a resync of a converged node touches no disk. And writes are handed to flushers
 * that write every {@code flushInterval} in one go, so a reconcile never waits for a commit.
 * Observed status may therefore be up to one interval old after a kill -9; it is observed state,
 * rebuilt by the next reconcile, unlike declared state, which is always written before it is
 * acknowledged.
 *
 * <p>Statuses (with their conditions) and events have a flusher each, and statuses go first: status
 * is the present, which an operator reads to know what runs, and it must not wait behind the
 * history. With ten thousand services converging on two cores, writing their events takes longer
 * than writing their statuses; one flusher for both made every status wait for the last batch's
 * events, and two side by side shared the cores. So events wait while statuses are pending or being
 * written, but never more than {@link #MAX_EVENT_DELAY} past their interval.
 */
public final class StatusWriter implements AutoCloseable {

  /** Often enough that status looks live to an operator, rarely enough to batch a busy node. */
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(100);

  /** How long events may wait for statuses to be written first, beyond their flush interval. */
  static final Duration MAX_EVENT_DELAY = Duration.ofSeconds(1);

  private static final Logger LOG = System.getLogger(StatusWriter.class.getName());

  private final Registry registry;
  private final java.time.Clock wall;
  private final Duration flushInterval;
  private final Map<String, Snapshot> written = new ConcurrentHashMap<>();
  private final Map<String, List<String>> flushedComponents = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  // Guarded by lock.
  private Map<String, Snapshot> pending = new LinkedHashMap<>();
  private List<PendingEvent> events = new ArrayList<>();
  private boolean writingStatuses;
  private boolean closed;
  private final List<Thread> flushers = new ArrayList<>();

  private record Snapshot(
      long generation, List<ComponentView> components, List<ConditionView> conditions) {}

  private record PendingEvent(
      String service, String component, ServiceEvent.Type type, String reason, String message) {}

  private StatusWriter(Registry registry, java.time.Clock wall, Duration flushInterval) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.wall = Objects.requireNonNull(wall, "wall");
    this.flushInterval = flushInterval;
    if (flushInterval != null) {
      flushers.add(
          flusher(
              "berth-status-writer", () -> pending.isEmpty(), () -> false, this::flushStatuses));
      flushers.add(
          flusher(
              "berth-event-writer",
              () -> events.isEmpty(),
              () -> writingStatuses || !pending.isEmpty(),
              this::flushEvents));
    }
  }

  private Thread flusher(
      String name, BooleanSupplier idle, BooleanSupplier yieldTo, Runnable write) {
    Thread thread = new Thread(() -> flushLoop(idle, yieldTo, write), name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** Writes in the background, every {@code flushInterval}. */
  public static StatusWriter batching(
      Registry registry, java.time.Clock wall, Duration flushInterval) {
    return new StatusWriter(registry, wall, Objects.requireNonNull(flushInterval));
  }

  /** Writes before returning: for deterministic tests. */
  public static StatusWriter synchronous(Registry registry, java.time.Clock wall) {
    return new StatusWriter(registry, wall, null);
  }

  /** Records the service's status; nothing is written if it equals the last one. */
  public void status(
      String service,
      long generation,
      List<ComponentView> components,
      List<ConditionView> conditions) {
    Snapshot snapshot = new Snapshot(generation, components, conditions);
    if (snapshot.equals(written.get(service))) {
      return;
    }
    written.put(service, snapshot);
    synchronized (lock) {
      if (pending.isEmpty()) {
        lock.notifyAll(); // the status flusher sleeps until there is something to write
      }
      pending.put(service, snapshot);
    }
    if (flushers.isEmpty()) {
      flushStatuses();
    }
  }

  /** Records an event for the service's history. */
  public void event(
      String service, String component, ServiceEvent.Type type, String reason, String message) {
    LOG.log(
        // Normal events are history for `berth events`; the log keeps only what needs a look.
        type == ServiceEvent.Type.WARNING ? Level.WARNING : Level.DEBUG,
        "{0}{1}: {2}: {3}",
        service,
        component == null ? "" : "/" + component,
        reason,
        message);
    synchronized (lock) {
      if (events.isEmpty()) {
        lock.notifyAll(); // the event flusher sleeps until there is something to write
      }
      events.add(new PendingEvent(service, component, type, reason, message));
    }
    if (flushers.isEmpty()) {
      flushEvents();
    }
  }

  /**
   * Whether this writer has written the service's status: until it has, the registry holds what an
   * earlier writer (an earlier agent) saw.
   */
  public boolean recorded(String service) {
    return flushedComponents.containsKey(service);
  }

  /** The service is gone: its rows went with it, so forget what was written. */
  public void forget(String service) {
    written.remove(service);
    flushedComponents.remove(service);
    synchronized (lock) {
      pending.remove(service);
      events.removeIf(e -> e.service().equals(service));
    }
  }

  /**
   * Writes everything pending now: all statuses in one transaction, all their conditions in a
   * second, all events in a third.
   */
  public void flush() {
    flushStatuses();
    flushEvents();
  }

  private void flushStatuses() {
    Map<String, Snapshot> statuses;
    synchronized (lock) {
      statuses = pending;
      pending = new LinkedHashMap<>();
      writingStatuses = !statuses.isEmpty();
    }
    try {
      writeStatuses(statuses);
    } finally {
      synchronized (lock) {
        writingStatuses = false;
        lock.notifyAll(); // events may go now
      }
    }
  }

  private void writeStatuses(Map<String, Snapshot> statuses) {
    if (statuses.isEmpty()) {
      return;
    }
    var now = wall.instant();
    List<ComponentStatus> rows = new ArrayList<>();
    statuses.forEach(
        (service, snapshot) -> {
          for (ComponentView view : snapshot.components()) {
            rows.add(
                new ComponentStatus(
                    service,
                    view.component(),
                    view.runtime(),
                    view.state().wire(),
                    view.workloadId(),
                    view.image(),
                    view.specHash(),
                    snapshot.generation(),
                    view.exitCode(),
                    view.startedAt(),
                    view.message(),
                    now));
          }
        });
    try {
      if (!rows.isEmpty()) {
        registry.status().putAll(rows);
      }
      Map<String, List<Condition>> conditions = new LinkedHashMap<>();
      Map<String, Long> generations = new LinkedHashMap<>();
      statuses.forEach(
          (service, snapshot) -> {
            conditions.put(service, conditions(snapshot, now));
            generations.put(service, snapshot.generation());
          });
      // With the generations, so that a service converged at its current one marks that spec
      // healthy in its history (what an auto-revert goes back to).
      registry.status().putConditions(conditions, generations);
      statuses.forEach(this::removeUndeclaredComponents);
    } catch (RegistryException e) {
      statuses.keySet().forEach(written::remove);
      LOG.log(Level.WARNING, "cannot record observed status: " + e.getMessage());
    }
  }

  private void flushEvents() {
    List<PendingEvent> newEvents;
    synchronized (lock) {
      newEvents = events;
      events = new ArrayList<>();
    }
    if (newEvents.isEmpty()) {
      return;
    }
    try {
      registry
          .events()
          .recordAll(
              newEvents.stream()
                  .map(
                      e ->
                          new NewEvent(
                              e.service(), e.component(), e.type(), e.reason(), e.message()))
                  .toList());
    } catch (RegistryException e) {
      LOG.log(Level.WARNING, "cannot record events: " + e.getMessage());
    }
  }

  private static List<Condition> conditions(Snapshot snapshot, java.time.Instant now) {
    List<Condition> conditions = new ArrayList<>();
    for (ConditionView condition : snapshot.conditions()) {
      conditions.add(
          new Condition(
              condition.component(),
              condition.type(),
              condition.status() ? Condition.Status.TRUE : Condition.Status.FALSE,
              condition.reason(),
              condition.message(),
              now));
    }
    return conditions;
  }

  /** Components no longer declared lose their status row. */
  private void removeUndeclaredComponents(String service, Snapshot snapshot) {
    List<String> current = snapshot.components().stream().map(ComponentView::component).toList();
    List<String> before = flushedComponents.put(service, current);
    if (before != null) {
      for (String component : before) {
        if (!current.contains(component)) {
          registry.status().remove(service, component);
        }
      }
    }
  }

  /**
   * Writes what {@code write} takes whenever {@code idle} turns false, letting more gather for one
   * interval first, and then for as long as {@code yieldTo} holds, up to {@link #MAX_EVENT_DELAY}:
   * an idle node's flushers sleep until there is something to write, instead of waking ten times a
   * second.
   */
  private void flushLoop(BooleanSupplier idle, BooleanSupplier yieldTo, Runnable write) {
    while (true) {
      synchronized (lock) {
        try {
          while (!closed && idle.getAsBoolean()) {
            lock.wait();
          }
          if (closed) {
            return;
          }
          // Something is pending: let more gather for one interval, and write them together.
          lock.wait(flushInterval.toMillis());
          long deadline = System.nanoTime() + MAX_EVENT_DELAY.toNanos();
          for (long left = MAX_EVENT_DELAY.toNanos();
              !closed && yieldTo.getAsBoolean() && left > 0;
              left = deadline - System.nanoTime()) {
            lock.wait(Math.max(1, left / 1_000_000));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      try {
        write.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "status flush failed: " + e.getMessage(), e);
      }
    }
  }

  /** Writes what is pending and stops the flushers. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
    }
    for (Thread flusher : flushers) {
      try {
        flusher.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    flush();
  }
}
