package dev.berth.reconcilers.service;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Berth's memory of each component (see {@link ComponentHistory}), by service. Only the service's
 * own reconciles change it, and the work queue never runs two of those at once.
 */
public final class ComponentHistories {

  private final Map<String, Map<String, ComponentHistory>> byService = new ConcurrentHashMap<>();
  private final CrashLoopBackoff backoff;

  public ComponentHistories(CrashLoopBackoff backoff) {
    this.backoff = backoff;
  }

  public CrashLoopBackoff backoff() {
    return backoff;
  }

  public Map<String, ComponentHistory> of(String service) {
    Map<String, ComponentHistory> histories = byService.get(service);
    return histories == null ? Map.of() : Map.copyOf(histories);
  }

  /** A restart after the component exited on its own: the next one waits longer. */
  public ComponentHistory restarted(String service, String component, Instant now) {
    ComponentHistory before = get(service, component);
    int restarts = before.restarts() + 1;
    return put(
        service,
        component,
        new ComponentHistory(false, restarts, now.plus(backoff.delayAfter(restarts))));
  }

  /** Berth stopped it on purpose: starting it again later is no crash. */
  public void stoppedByBerth(String service, String component) {
    ComponentHistory before = get(service, component);
    put(service, component, new ComponentHistory(true, before.restarts(), before.nextRestartAt()));
  }

  /** Started, created or replaced by Berth, or ran long enough: a clean slate. */
  public void reset(String service, String component) {
    Map<String, ComponentHistory> histories = byService.get(service);
    if (histories != null) {
      histories.remove(component);
    }
  }

  /** Started by Berth after it stopped it: no longer stopped on purpose, crash count kept. */
  public void started(String service, String component) {
    ComponentHistory before = get(service, component);
    if (before.stoppedByBerth()) {
      put(
          service,
          component,
          new ComponentHistory(false, before.restarts(), before.nextRestartAt()));
    }
  }

  public void forget(String service) {
    byService.remove(service);
  }

  private ComponentHistory get(String service, String component) {
    Map<String, ComponentHistory> histories = byService.get(service);
    return histories == null
        ? ComponentHistory.NONE
        : histories.getOrDefault(component, ComponentHistory.NONE);
  }

  private ComponentHistory put(String service, String component, ComponentHistory history) {
    byService.computeIfAbsent(service, s -> new ConcurrentHashMap<>()).put(component, history);
    return history;
  }
}
