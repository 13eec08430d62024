package dev.berth.reconcilers.describe;

import dev.berth.runtime.PortBinding;
import dev.berth.spec.status.ComponentState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A declared component as this node describes it: its ports always, and what this node observed of
 * it once it has.
 *
 * @param component its name
 * @param kind the runtime kind that runs it, as recorded ({@code container}...), or as declared
 * @param state the word of its state ({@link ComponentState}); {@code pending} until observed
 * @param terminal whether its state is a failure that only an operator can repair
 * @param workloadId the workload that serves it, or null
 * @param image what its workload runs, or null
 * @param version the image's tag (or digest's first 12 hex digits), or null
 * @param observedGeneration the generation its status was observed against; 0 until observed
 * @param exitCode how its workload ended, or null
 * @param startedAt when its workload started, while it runs; else null
 * @param uptime how long it has run, as counted when described; null unless running
 * @param message a sentence for operators, or null
 * @param updatedAt when its status was written, or null
 * @param ports its routes' host ports (named by route) and its explicit port mappings
 */
public record ComponentDescription(
    String component,
    String kind,
    String state,
    boolean terminal,
    String workloadId,
    String image,
    String version,
    long observedGeneration,
    Integer exitCode,
    Instant startedAt,
    Duration uptime,
    String message,
    Instant updatedAt,
    List<PortBinding> ports) {

  /** Copies the ports. */
  public ComponentDescription {
    ports = List.copyOf(ports);
  }

  /** A component nothing is known of yet but its declaration: pending, saying why. */
  static ComponentDescription pending(
      String component, String kind, List<PortBinding> ports, String message) {
    return new ComponentDescription(
        component,
        kind,
        ServiceDescriptions.PENDING,
        false,
        null,
        null,
        null,
        0,
        null,
        null,
        null,
        message,
        null,
        ports);
  }
}
