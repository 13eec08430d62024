package dev.berth.examples.engine;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Changes running workloads behind the controller's back, as a crash, an operator at a shell or an
 * out-of-band upgrade would. No event is sent and no key is enqueued: only the periodic resync can
 * notice, and that is the point.
 */
final class Drift {

  enum Kind {
    REMOVED("removed"),
    RESCALED("rescaled by hand"),
    UPGRADED("upgraded by hand");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }
  }

  private Drift() {}

  /** Drifts each key in turn one of the three ways; returns how many drifted each way. */
  static Map<Kind, Integer> inflict(SimulatedRuntime runtime, List<String> keys) {
    Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
    Kind[] kinds = Kind.values();
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      Kind kind = kinds[i % kinds.length];
      SimulatedWorkload workload = runtime.peek(key).orElse(null);
      if (workload == null) {
        continue;
      }
      int replicas = workload.spec().replicas();
      switch (kind) {
        case REMOVED -> runtime.erase(key);
        case RESCALED -> runtime.place(key, running(workload.spec().withReplicas(replicas + 2)));
        case UPGRADED -> runtime.place(key, running(workload.spec().nextPatch()));
      }
      counts.merge(kind, 1, Integer::sum);
    }
    return counts;
  }

  private static SimulatedWorkload running(Spec spec) {
    return SimulatedWorkload.longRunning(spec);
  }
}
