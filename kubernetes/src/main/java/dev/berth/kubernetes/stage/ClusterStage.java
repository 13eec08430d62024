package dev.berth.kubernetes.stage;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One boot stage of a cluster, as the agent's {@code [[stages]]} declares one on a node.
 *
 * @param name shown in the Admitted condition of the services that wait for it
 * @param services its members: {@code namespace/name} for one BerthService, or a bare {@code name}
 *     for the BerthServices of that name in every namespace; a service belongs to the first stage
 *     naming it
 * @param timeout how long the stage may take once admitted, or null for no limit; {@link
 *     #DEFAULT_TIMEOUT} as on a node
 * @param required if true, later stages wait however long it takes; if false, they proceed after
 *     the timeout; {@link #DEFAULT_REQUIRED} as on a node
 */
public record ClusterStage(String name, List<String> services, Duration timeout, boolean required) {

  /** Five minutes, as a node's stages. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  /** Required: a stage exists because later services need it. */
  public static final boolean DEFAULT_REQUIRED = true;

  public ClusterStage {
    Objects.requireNonNull(name, "name");
    services = List.copyOf(services);
  }

  /** Whether {@code key} is one of its members. */
  public boolean member(ServiceKey key) {
    return services.contains(key.toString()) || services.contains(key.name());
  }
}
