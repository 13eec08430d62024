package dev.berth.runtime.process;

import java.nio.file.Path;
import java.util.Set;

/**
 * One cgroup hierarchy the process runtime puts its limited workloads in, and the controllers of it
 * that Berth uses.
 *
 * @param version 2 for the unified hierarchy (cgroup v2), 1 for a v1 hierarchy of its own
 * @param controllers which of {@link #MEMORY} and {@link #CPU} it carries
 * @param base the directory under which Berth's own {@value #BERTH} cgroup is (created if need be):
 *     the hierarchy's root for v2 (cgroup v2 allows no controller below a cgroup that holds
 *     processes, as the agent's own does), the agent's own cgroup for v1 (so that whatever limits
 *     the agent still limits its workloads)
 */
record CgroupHierarchy(int version, Set<String> controllers, Path base) {

  static final String MEMORY = "memory";
  static final String CPU = "cpu";

  /** The cgroup Berth creates, and the one parent of every workload cgroup it makes. */
  static final String BERTH = "berth";

  CgroupHierarchy {
    controllers = Set.copyOf(controllers);
  }

  /** Berth's cgroup in this hierarchy. */
  Path berth() {
    return base.resolve(BERTH);
  }

  boolean has(String controller) {
    return controllers.contains(controller);
  }

  @Override
  public String toString() {
    return "cgroup v"
        + version
        + " "
        + String.join("+", controllers.stream().sorted().toList())
        + " at "
        + berth();
  }
}
