package dev.berth.reconcilers.service;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Berth's memory of each component (see {@link ComponentHistory}), by service. Only the service's
 * own reconciles change it, and the work queue never runs two of those at once.
 */
public final class ComponentHistories {

  private final Map<String, Map<String, ComponentHistory>> byService = new ConcurrentHashMap<>();
  private final CrashLoopBackoff backoff;
  private final AtomicLong restartsTotal = new AtomicLong();

  /** Histories whose restarts wait as {@code backoff} says. */
  public ComponentHistories(CrashLoopBackoff backoff) {
    this.backoff = backoff;
  }

  /** How restarts after a crash are spaced. */
  public CrashLoopBackoff backoff() {
    return backoff;
  }

  /**
   * How many restarts after an end of the workload's own ({@link #restarted}) this node made since
   * it started, over every component: the {@code berth_component_restarts_total} counter.
   */
  public long restartsTotal() {
    return restartsTotal.get();
  }

  /** What is remembered of each component of {@code service}, by component; a copy. */
  public Map<String, ComponentHistory> of(String service) {
    Map<String, ComponentHistory> histories = byService.get(service);
    return histories == null ? Map.of() : Map.copyOf(histories);
  }

  /**
   * A restart after the component exited on its own: the next one waits longer, and the next end of
   * the workload is another run's, to be reported too (a runtime may not say when it started).
   */
  public ComponentHistory restarted(String service, String component, Instant now) {
    restartsTotal.incrementAndGet();
    return update(
        service,
        component,
        before -> {
          int restarts = before.restarts() + 1;
          return before
              .withCrashLoop(false, restarts, now.plus(backoff.delayAfter(restarts)))
              .withEndReported(null);
        });
  }

  /** Berth stopped it on purpose: starting it again later is no crash. */
  public void stoppedByBerth(String service, String component) {
    update(
        service,
        component,
        before -> before.withCrashLoop(true, before.restarts(), before.nextRestartAt()));
  }

  /** It ran long enough: its crash count starts afresh. */
  public void reset(String service, String component) {
    update(service, component, before -> before.withCrashLoop(false, 0, null));
  }

  /**
   * Berth created (or replaced) its workload: a clean slate for the crash count.
   *
   * @param recreated true if it replaces one that vanished behind Berth's back
   * @return the history after, with how often the component was recreated
   */
  public ComponentHistory created(
      String service, String component, String workloadId, boolean recreated) {
    return update(
        service,
        component,
        before ->
            new ComponentHistory(
                false, 0, null, workloadId, before.recreations() + (recreated ? 1 : 0), null));
  }

  /** Started by Berth after it stopped it: no longer stopped on purpose, crash count kept. */
  public void started(String service, String component) {
    ComponentHistory before = get(service, component);
    if (before.stoppedByBerth()) {
      update(
          service,
          component,
          h ->
              h.withCrashLoop(false, before.restarts(), before.nextRestartAt())
                  .withEndReported(null));
    }
  }

  /** Berth saw {@code workloadId} serve the component. */
  public void seen(String service, String component, String workloadId) {
    if (!Objects.equals(get(service, component).workloadId(), workloadId)) {
      update(service, component, before -> before.withWorkload(workloadId, before.recreations()));
    }
  }

  /** Berth removed {@code workloadId}: its absence is no vanishing. */
  public void removed(String service, String component, String workloadId) {
    if (workloadId.equals(get(service, component).workloadId())) {
      update(service, component, before -> before.withWorkload(null, before.recreations()));
    }
  }

  /** The end of {@code run} is recorded as an event. */
  public void endReported(String service, String component, ComponentHistory.Run run) {
    update(service, component, before -> before.withEndReported(run));
  }

  /** Forgets {@code service}, once it is deleted. */
  public void forget(String service) {
    byService.remove(service);
  }

  private ComponentHistory get(String service, String component) {
    Map<String, ComponentHistory> histories = byService.get(service);
    return histories == null
        ? ComponentHistory.NONE
        : histories.getOrDefault(component, ComponentHistory.NONE);
  }

  private ComponentHistory update(
      String service, String component, UnaryOperator<ComponentHistory> change) {
    ComponentHistory after = change.apply(get(service, component));
    byService.computeIfAbsent(service, s -> new ConcurrentHashMap<>()).put(component, after);
    return after;
  }
}
