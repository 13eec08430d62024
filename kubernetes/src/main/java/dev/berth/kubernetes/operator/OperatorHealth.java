package dev.berth.kubernetes.operator;

import java.util.List;

/**
 * The operator's health as JOSDK's RuntimeInfo sees it, in plain words for an endpoint.
 *
 * @param started whether the operator has started (its informers synced once)
 * @param unhealthy one line per event source (informer included) that is not healthy: {@code
 *     <controller>/<event source>: <status>}. A watch that fails for good (JOSDK #533: an informer
 *     that stops silently) shows here.
 */
public record OperatorHealth(boolean started, List<String> unhealthy) {

  public OperatorHealth {
    unhealthy = List.copyOf(unhealthy);
  }

  /** Whether it reconciles: started, every event source healthy. */
  public boolean ready() {
    return started && unhealthy.isEmpty();
  }
}
