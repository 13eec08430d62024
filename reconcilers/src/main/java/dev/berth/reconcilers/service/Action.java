package dev.berth.reconcilers.service;

import dev.berth.reconcilers.route.RouteBinding;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.store.registry.PortKey;
import java.time.Duration;
import java.util.Set;

/**
 * One step of a plan. Every action is idempotent: doing it twice, or after someone else already did
 * it, leaves the node the same.
 */
public sealed interface Action {

  /**
   * The step in the words events, status and logs use, such as {@code start <workload id>}: a
   * failure reads "{@code <describe()>: <why>}".
   */
  String describe();

  /**
   * The component the step is for, or null for a step of the whole service (a certificate, the
   * route set): a failed component's steps wait out its backoff, the others go on.
   */
  String component();

  /**
   * Gives a route its stable host port (kept until the service is deleted), or its spare: the
   * second port, that a workload replaced beside the old one uses.
   */
  record AllocatePort(PortKey key, boolean spare) implements Action {
    /** Gives a route its stable host port (not its spare). */
    public AllocatePort(PortKey key) {
      this(key, false);
    }

    @Override
    public String describe() {
      return "allocate a " + (spare ? "spare " : "") + "host port for route " + key.route();
    }

    @Override
    public String component() {
      return key.component();
    }
  }

  /** Asks for a certificate for an L7 route's hostname; the certificate loop does the work. */
  record RequestCertificate(String hostname) implements Action {
    @Override
    public String describe() {
      return "request a certificate for " + hostname;
    }

    @Override
    public String component() {
      return null;
    }
  }

  /** Makes sure the workload's image is on the node, pulling it only if it is absent. */
  record EnsureImage(String component, WorkloadSpec spec) implements Action {
    @Override
    public String describe() {
      return "ensure image " + spec.image();
    }
  }

  /**
   * Creates and starts the component's workload.
   *
   * @param vanished the workload Berth last saw serving the component, gone without Berth removing
   *     it (behind Berth's back); null when there was none
   */
  record Create(String component, WorkloadSpec spec, String vanished) implements Action {
    /** Creates a workload for {@code component}; none vanished before it. */
    public Create(String component, WorkloadSpec spec) {
      this(component, spec, null);
    }

    @Override
    public String describe() {
      return "create " + spec.name();
    }
  }

  /** Removes the workload of an older spec and creates the current one. */
  record Replace(String component, String oldWorkloadId, WorkloadSpec spec) implements Action {
    @Override
    public String describe() {
      return "replace " + oldWorkloadId;
    }
  }

  /**
   * Creates and starts the component's new workload beside {@code oldWorkloadId}, which keeps
   * running and serving until the new one is healthy and the proxy switched to it.
   */
  record CreateBeside(String component, WorkloadSpec spec, String oldWorkloadId) implements Action {
    @Override
    public String describe() {
      return "create " + spec.name() + " beside " + oldWorkloadId;
    }
  }

  /**
   * Stops and removes the old workload once the proxy switched to the new one and it drained: the
   * end of an update beside.
   */
  record Retire(String component, String oldWorkloadId, String newWorkloadId, Duration drained)
      implements Action {
    @Override
    public String describe() {
      return "retire " + oldWorkloadId;
    }
  }

  /**
   * Gives up an update beside: removes the new workload, which did not become healthy, and
   * remembers why, so that the spec is not tried again until it changes; the old one keeps serving.
   *
   * @param autoRevert whether to declare the last generation that became healthy again
   */
  record AbandonUpdate(
      String component, String newWorkloadId, FailedUpdate failure, boolean autoRevert)
      implements Action {
    @Override
    public String describe() {
      return "give up the update to " + newWorkloadId;
    }
  }

  /**
   * Starts an existing workload.
   *
   * @param restart true if it exited on its own: counted against the crash-loop backoff
   */
  record Start(String component, String workloadId, boolean restart) implements Action {
    @Override
    public String describe() {
      return "start " + workloadId;
    }
  }

  /** Stops a workload and keeps it. */
  record Stop(String component, String workloadId) implements Action {
    @Override
    public String describe() {
      return "stop " + workloadId;
    }
  }

  /**
   * Stops a workload whose liveness probe failed, as if it had exited on its own: its restart
   * policy and crash-loop backoff decide when it starts again, and its end is reported by this step
   * alone.
   *
   * @param run the run that is ended
   * @param why what the probe found, for the event ({@code its http probe on port 8080 /healthz
   *     failed 3 times: connection refused; restarting})
   */
  record StopUnhealthy(String component, String workloadId, ComponentHistory.Run run, String why)
      implements Action {
    @Override
    public String describe() {
      return "stop " + workloadId + " (liveness probe failed)";
    }
  }

  /** Removes a workload. */
  record Remove(String component, String workloadId, String why) implements Action {
    @Override
    public String describe() {
      return "remove " + workloadId;
    }
  }

  /** Makes {@code routes} the service's whole set at the proxy (empty: none). */
  record PublishRoutes(Set<RouteBinding> routes) implements Action {
    @Override
    public String describe() {
      return "publish " + routes.size() + " routes";
    }

    @Override
    public String component() {
      return null;
    }
  }
}
