package dev.berth.kubernetes.operator;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A boot stage on a cluster: its BerthServices are held (nothing written, {@code Admitted=False},
 * {@code WaitingForStage}) until every service of the stages before it is Ready. A node's stages
 * probe a port; a cluster's wait for the services' own Ready condition, which their pods' readiness
 * probes feed.
 *
 * @param name shown in the held services' status
 * @param services its members: {@code name} (in any watched namespace) or {@code namespace/name}
 * @param timeout how long it may take from the moment one of its services is admitted; null for no
 *     limit
 * @param required whether later stages wait for it however long it takes; if false they proceed
 *     after its timeout
 */
public record ClusterStage(String name, List<String> services, Duration timeout, boolean required) {

  public ClusterStage {
    Objects.requireNonNull(name, "name");
    services = List.copyOf(services);
  }

  /** Whether the BerthService {@code namespace/name} belongs to this stage. */
  boolean member(String namespace, String service) {
    for (String ref : services) {
      int slash = ref.indexOf('/');
      boolean match =
          slash < 0
              ? ref.equals(service)
              : ref.substring(0, slash).equals(namespace)
                  && ref.substring(slash + 1).equals(service);
      if (match) {
        return true;
      }
    }
    return false;
  }
}
