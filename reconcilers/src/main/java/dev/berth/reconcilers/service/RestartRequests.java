package dev.berth.reconcilers.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Operators' requests to restart a service's workloads, waiting for the service's worker. A restart
 * is carried out by the worker, like every other action on the service, so that no reconcile sees a
 * workload halfway through it (stopped, not yet started) and takes that for a crash. Requests made
 * before the worker comes round collapse into one restart.
 */
public final class RestartRequests {

  private final Map<String, List<CompletableFuture<Integer>>> pending = new HashMap<>();

  /** Asks for a restart; the future completes with the number of workloads restarted. */
  public synchronized CompletableFuture<Integer> request(String service) {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    pending.computeIfAbsent(service, s -> new ArrayList<>()).add(done);
    return done;
  }

  /** The requests waiting for {@code service}, now the worker's to complete; empty if none. */
  synchronized List<CompletableFuture<Integer>> take(String service) {
    List<CompletableFuture<Integer>> taken = pending.remove(service);
    return taken == null ? List.of() : taken;
  }
}
