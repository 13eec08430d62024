package dev.berth.reconcilers.observe;

import dev.berth.runtime.RuntimeEvent;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadRuntime;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What the runtimes run, kept in memory so that a reconcile need not list the node: an informer in
 * Kubernetes' terms.
 *
 * <p>Three things keep it true. A <em>relist</em> (at start and periodically) replaces what it
 * knows. A runtime <em>event</em> never updates an entry from its payload: it marks the workload
 * dirty, and the next read of its service inspects it afresh (level-triggered, principle 1). And
 * Berth's own actions record their result (a workload just run, one just removed) so the next plan
 * sees them at once.
 *
 * <p>A relist races with actions: a list that started before a workload was created does not show
 * it, and must not make the cache forget it (or the next plan would create a duplicate). Every
 * local change therefore carries a sequence number, and a relist only overwrites or drops entries
 * older than the moment it started listing. Removals leave a tombstone for the same reason.
 */
public final class WorkloadCache {

  private static final Logger LOG = System.getLogger(WorkloadCache.class.getName());

  private final WorkloadRuntime runtime;
  private final Ownership ownership;
  private final Consumer<String> serviceChanged;
  private final Runnable unmanagedChanged;

  // Guarded by this.
  private final Map<String, Entry> entries = new HashMap<>();
  private final Map<String, Set<String>> idsByService = new HashMap<>();
  private long sequence;
  private boolean synced;

  /** One workload: observed (or null once gone), and whether it must be inspected again. */
  private static final class Entry {
    final String id;
    final String service;
    Workload workload;
    boolean dirty;
    long sequence;

    Entry(String id, String service) {
      this.id = id;
      this.service = service;
    }
  }

  /**
   * @param runtime the merged runtime of the node
   * @param ownership which workloads are this registry's; the others are kept apart, as unmanaged
   * @param serviceChanged told the name of every service whose workloads may have changed
   * @param unmanagedChanged told when workloads that are not this registry's may have changed
   */
  public WorkloadCache(
      WorkloadRuntime runtime,
      Ownership ownership,
      Consumer<String> serviceChanged,
      Runnable unmanagedChanged) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.ownership = Objects.requireNonNull(ownership, "ownership");
    this.serviceChanged = Objects.requireNonNull(serviceChanged, "serviceChanged");
    this.unmanagedChanged = Objects.requireNonNull(unmanagedChanged, "unmanagedChanged");
  }

  /** Starts hearing the runtime's events; close the handle to stop. */
  public AutoCloseable watch() {
    return runtime.watch(this::onEvent);
  }

  /** Whether a relist has succeeded at least once. */
  public synchronized boolean synced() {
    return synced;
  }

  /**
   * Lists the node and takes what it shows, except for entries changed since the list began.
   *
   * @throws dev.berth.runtime.RuntimeFailure if the runtime cannot list; the cache keeps what it
   *     knew
   */
  public void relist() {
    long started;
    synchronized (this) {
      started = ++sequence;
    }
    List<Workload> listed = runtime.list();
    Set<String> changed = new LinkedHashSet<>();
    boolean unmanaged = false;
    synchronized (this) {
      Set<String> seen = new HashSet<>();
      for (Workload workload : listed) {
        seen.add(workload.id());
        Entry entry = entries.get(workload.id());
        if (entry == null) {
          entry = add(workload.id(), serviceIfOwned(workload.labels()));
          entry.sequence = started;
        } else if (entry.sequence > started) {
          continue;
        }
        if (!workload.equals(entry.workload) || entry.dirty) {
          if (entry.service != null) {
            changed.add(entry.service);
          } else {
            unmanaged = true;
          }
        }
        entry.workload = workload;
        entry.dirty = false;
      }
      for (Entry entry : List.copyOf(entries.values())) {
        if (!seen.contains(entry.id) && entry.sequence <= started) {
          if (entry.workload != null) {
            if (entry.service != null) {
              changed.add(entry.service);
            } else {
              unmanaged = true;
            }
          }
          drop(entry);
        }
      }
      synced = true;
    }
    changed.forEach(serviceChanged);
    if (unmanaged) {
      unmanagedChanged.run();
    }
  }

  /**
   * The workloads of {@code service}, inspecting those an event marked dirty.
   *
   * @throws dev.berth.runtime.RuntimeFailure if an inspection fails
   */
  public List<Workload> workloadsOf(String service) {
    List<Workload> result = new ArrayList<>();
    Map<String, Long> dirty = new HashMap<>();
    synchronized (this) {
      for (String id : idsByService.getOrDefault(service, Set.of())) {
        Entry entry = entries.get(id);
        if (entry.dirty) {
          dirty.put(id, entry.sequence);
        } else if (entry.workload != null) {
          result.add(entry.workload);
        }
      }
    }
    dirty.forEach((id, sequenceSeen) -> inspect(id, sequenceSeen).ifPresent(result::add));
    return result;
  }

  /**
   * Workloads that are not this registry's (without Berth's labels, or made by another registry),
   * as last observed.
   */
  public synchronized List<Workload> unmanaged() {
    List<Workload> result = new ArrayList<>();
    for (Entry entry : entries.values()) {
      if (entry.service == null && entry.workload != null) {
        result.add(entry.workload);
      }
    }
    return result;
  }

  /** Every service that has workloads on the node, declared or not. */
  public synchronized Set<String> services() {
    Set<String> services = new HashSet<>();
    idsByService.forEach(
        (service, ids) -> {
          for (String id : ids) {
            Entry entry = entries.get(id);
            if (entry.workload != null || entry.dirty) {
              services.add(service);
              return;
            }
          }
        });
    return services;
  }

  /** Records a workload Berth just created or started, as the runtime returned it. */
  public synchronized void recorded(Workload workload) {
    Entry entry = entries.get(workload.id());
    if (entry == null) {
      entry = add(workload.id(), serviceIfOwned(workload.labels()));
    }
    entry.workload = workload;
    entry.dirty = false;
    entry.sequence = ++sequence;
  }

  /** Records that Berth removed a workload: a tombstone, so an older relist cannot revive it. */
  public synchronized void removed(String id) {
    Entry entry = entries.get(id);
    if (entry != null) {
      entry.workload = null;
      entry.dirty = false;
      entry.sequence = ++sequence;
    }
  }

  /** Marks a workload for inspection at its service's next read (after a start or stop). */
  public synchronized void dirty(String id) {
    Entry entry = entries.get(id);
    if (entry != null) {
      entry.dirty = true;
      entry.sequence = ++sequence;
    }
  }

  private void onEvent(RuntimeEvent event) {
    String service = serviceIfOwned(event.labels());
    boolean managed = service != null;
    synchronized (this) {
      Entry entry = entries.get(event.workloadId());
      if (entry == null) {
        entry = add(event.workloadId(), managed ? service : null);
      }
      entry.dirty = true;
      entry.sequence = ++sequence;
    }
    if (managed) {
      serviceChanged.accept(service);
    } else {
      unmanagedChanged.run();
    }
  }

  private Optional<Workload> inspect(String id, long sequenceSeen) {
    Optional<Workload> observed = runtime.inspect(id);
    synchronized (this) {
      Entry entry = entries.get(id);
      if (entry != null && entry.sequence == sequenceSeen) {
        entry.workload = observed.orElse(null);
        entry.dirty = false;
      }
    }
    if (observed.isEmpty()) {
      LOG.log(Level.DEBUG, "workload {0} is gone", id);
    }
    return observed;
  }

  /**
   * Forgets the workloads that were not this registry's, after it adopted another registry's: the
   * next relist sorts them again, and those now owned go to their services.
   */
  public synchronized void ownershipChanged() {
    for (Entry entry : List.copyOf(entries.values())) {
      if (entry.service == null) {
        drop(entry);
      }
    }
  }

  private String serviceIfOwned(Map<String, String> labels) {
    return ownership.owns(labels) ? labels.get(dev.berth.spec.identity.Labels.SERVICE) : null;
  }

  private Entry add(String id, String service) {
    Entry entry = new Entry(id, service);
    entries.put(id, entry);
    if (service != null) {
      idsByService.computeIfAbsent(service, s -> new LinkedHashSet<>()).add(id);
    }
    return entry;
  }

  private void drop(Entry entry) {
    entries.remove(entry.id);
    if (entry.service != null) {
      Set<String> ids = idsByService.get(entry.service);
      if (ids != null) {
        ids.remove(entry.id);
        if (ids.isEmpty()) {
          idsByService.remove(entry.service);
        }
      }
    }
  }
}
