package dev.berth.reconcilers.service;

import dev.berth.reconcilers.route.RouteBinding;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.store.registry.PortKey;
import java.util.Set;

/**
 * One step of a plan. Every action is idempotent: doing it twice, or after someone else already did
 * it, leaves the node the same.
 */
public sealed interface Action {

  /** Gives a route its stable host port (kept until the service is deleted). */
  record AllocatePort(PortKey key) implements Action {}

  /** Asks for a certificate for an L7 route's hostname; the certificate loop does the work. */
  record RequestCertificate(String hostname) implements Action {}

  /** Makes sure the workload's image is on the node, pulling it only if it is absent. */
  record EnsureImage(String component, WorkloadSpec spec) implements Action {}

  /**
   * Creates and starts the component's workload.
   *
   * @param vanished the workload Berth last saw serving the component, gone without Berth removing
   *     it (behind Berth's back); null when there was none
   */
  record Create(String component, WorkloadSpec spec, String vanished) implements Action {
    public Create(String component, WorkloadSpec spec) {
      this(component, spec, null);
    }
  }

  /** Removes the workload of an older spec and creates the current one. */
  record Replace(String component, String oldWorkloadId, WorkloadSpec spec) implements Action {}

  /**
   * Starts an existing workload.
   *
   * @param restart true if it exited on its own: counted against the crash-loop backoff
   */
  record Start(String component, String workloadId, boolean restart) implements Action {}

  /** Stops a workload and keeps it. */
  record Stop(String component, String workloadId) implements Action {}

  /** Removes a workload. */
  record Remove(String component, String workloadId, String why) implements Action {}

  /** Makes {@code routes} the service's whole set at the proxy (empty: none). */
  record PublishRoutes(Set<RouteBinding> routes) implements Action {}
}
