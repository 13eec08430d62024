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

/**
 * Writes what the service loop observes (component status, conditions, events) to the registry.
 *
 * <p>Two things keep it cheap. A service whose status did not change since the last write causes no
 * write at all, so a resync of a converged node touches no disk. And writes are handed to a flusher
 * that writes every {@code flushInterval} in one go, so a reconcile never waits for a commit.
 * Observed status may therefore be up to one interval old after a kill -9; it is observed state,
 * rebuilt by the next reconcile, unlike declared state, which is always written before it is
 * acknowledged.
 */
public final class StatusWriter implements AutoCloseable {

  /** Often enough that status looks live to an operator, rarely enough to batch a busy node. */
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(100);

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
  private boolean closed;
  private final Thread flusher;

  private record Snapshot(
      long generation, List<ComponentView> components, List<ConditionView> conditions) {}

  private record PendingEvent(
      String service, String component, ServiceEvent.Type type, String reason, String message) {}

  private StatusWriter(Registry registry, java.time.Clock wall, Duration flushInterval) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.wall = Objects.requireNonNull(wall, "wall");
    this.flushInterval = flushInterval;
    if (flushInterval == null) {
      flusher = null;
    } else {
      flusher = new Thread(this::flushLoop, "berth-status-writer");
      flusher.setDaemon(true);
      flusher.start();
    }
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
      wakeFlusherIfIdle();
      pending.put(service, snapshot);
    }
    if (flusher == null) {
      flush();
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
      wakeFlusherIfIdle();
      events.add(new PendingEvent(service, component, type, reason, message));
    }
    if (flusher == null) {
      flush();
    }
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
    Map<String, Snapshot> statuses;
    List<PendingEvent> newEvents;
    synchronized (lock) {
      statuses = pending;
      newEvents = events;
      pending = new LinkedHashMap<>();
      events = new ArrayList<>();
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
                    view.state(),
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
      statuses.forEach((service, snapshot) -> conditions.put(service, conditions(snapshot, now)));
      registry.status().putConditions(conditions);
      statuses.forEach(this::removeUndeclaredComponents);
      if (!newEvents.isEmpty()) {
        registry
            .events()
            .recordAll(
                newEvents.stream()
                    .map(
                        e ->
                            new NewEvent(
                                e.service(), e.component(), e.type(), e.reason(), e.message()))
                    .toList());
      }
    } catch (RegistryException e) {
      statuses.keySet().forEach(written::remove);
      LOG.log(Level.WARNING, "cannot record observed status: " + e.getMessage());
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
   * Wakes the flusher when the first write after a flush arrives: an idle node's flusher sleeps
   * until there is something to write, instead of waking ten times a second. Call holding lock.
   */
  private void wakeFlusherIfIdle() {
    if (pending.isEmpty() && events.isEmpty()) {
      lock.notifyAll();
    }
  }

  private void flushLoop() {
    while (true) {
      synchronized (lock) {
        try {
          while (!closed && pending.isEmpty() && events.isEmpty()) {
            lock.wait();
          }
          if (closed) {
            return;
          }
          // Something is pending: let more gather for one interval, and write them together.
          lock.wait(flushInterval.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      try {
        flush();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "status flush failed: " + e.getMessage(), e);
      }
    }
  }

  /** Writes what is pending and stops the flusher. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
    }
    if (flusher != null) {
      try {
        flusher.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    flush();
  }
}
