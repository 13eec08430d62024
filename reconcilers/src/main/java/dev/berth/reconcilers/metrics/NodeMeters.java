package dev.berth.reconcilers.metrics;

import dev.berth.reconcilers.describe.ServiceDescriptions;
import dev.berth.spec.status.ActionFailure;
import dev.berth.spec.status.ComponentPhase;
import dev.berth.spec.status.ServiceConvergence;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The node's own gauges, read from the registry when scraped:
 *
 * <ul>
 *   <li>{@code berth_services{phase}}: declared services by phase ({@code Converged}, {@code
 *       Progressing}, {@code Failed}, {@code Pending});
 *   <li>{@code berth_components{phase}}: declared components by state, as {@code berth status}
 *       shows it ({@code running}, {@code CrashLoopBackOff}, {@code ImageMissing}, ...);
 *   <li>{@code berth_components_crash_looping}: components in {@code CrashLoopBackOff}, waiting out
 *       a restart back-off;
 *   <li>{@code berth_component_restarts_total}: restarts after a workload ended on its own;
 *   <li>{@code berth_certificate_expiry_seconds{certificate}}: seconds until each stored
 *       certificate's notAfter (negative once expired).
 * </ul>
 *
 * Every phase of the vocabulary has its series from the start (0 until a component is in it), so
 * that alerts and dashboards see a 0 rather than nothing. A scrape reads the registry once ({@link
 * #FRESH}): the gauges share one {@link Snapshot}. A certificate stored or deleted shows in the
 * scrape after the one that first reads it.
 */
public final class NodeMeters {

  private static final System.Logger LOG = System.getLogger(NodeMeters.class.getName());

  /** Gauges read within this of each other share one read of the registry: one per scrape. */
  static final Duration FRESH = Duration.ofSeconds(1);

  /**
   * What the gauges show, read at once.
   *
   * @param servicesByPhase declared services by phase
   * @param componentsByPhase declared components by state
   * @param certificateExpiry each stored certificate's notAfter, by name
   */
  public record Snapshot(
      Map<String, Integer> servicesByPhase,
      Map<String, Integer> componentsByPhase,
      Map<String, Instant> certificateExpiry) {

    /** Copies the maps. */
    public Snapshot {
      servicesByPhase = Map.copyOf(servicesByPhase);
      componentsByPhase = Map.copyOf(componentsByPhase);
      certificateExpiry = Map.copyOf(certificateExpiry);
    }
  }

  private final MeterRegistry meters;
  private final Supplier<Snapshot> source;
  private final Clock wall;
  private final LongSupplier restarts;
  private final Map<String, Gauge> certificates = new HashMap<>();
  private Snapshot last;
  private long readAt;

  private NodeMeters(
      MeterRegistry meters, Supplier<Snapshot> source, LongSupplier restarts, Clock wall) {
    this.meters = meters;
    this.source = source;
    this.restarts = restarts;
    this.wall = wall;
  }

  /**
   * Registers the node's gauges in {@code meters}.
   *
   * @param source reads the registry; called at most once per {@link #FRESH} while scraped
   * @param restarts the node's restart count so far
   * @param wall the clock the certificates' expiry is counted from
   */
  public static NodeMeters bind(
      MeterRegistry meters, Supplier<Snapshot> source, LongSupplier restarts, Clock wall) {
    NodeMeters node =
        new NodeMeters(
            Objects.requireNonNull(meters, "meters"),
            Objects.requireNonNull(source, "source"),
            Objects.requireNonNull(restarts, "restarts"),
            Objects.requireNonNull(wall, "wall"));
    Set<String> servicePhases = new LinkedHashSet<>();
    for (ServiceConvergence convergence : ServiceConvergence.values()) {
      servicePhases.add(convergence.reason());
    }
    servicePhases.add(ServiceDescriptions.SERVICE_PENDING);
    for (String phase : servicePhases) {
      Gauge.builder(
              "berth.services", () -> node.snapshot().servicesByPhase().getOrDefault(phase, 0))
          .description("Declared services by phase (the reason of their Converged condition)")
          .tag("phase", phase)
          .register(meters);
    }
    Set<String> componentPhases = new LinkedHashSet<>();
    for (ComponentPhase phase : ComponentPhase.values()) {
      componentPhases.add(phase.wire());
    }
    for (ActionFailure failure : ActionFailure.values()) {
      componentPhases.add(failure.wire());
    }
    for (String phase : componentPhases) {
      Gauge.builder(
              "berth.components", () -> node.snapshot().componentsByPhase().getOrDefault(phase, 0))
          .description("Declared components by state, as berth status shows it")
          .tag("phase", phase)
          .register(meters);
    }
    String crashLoop = ComponentPhase.CRASH_LOOP_BACK_OFF.wire();
    Gauge.builder(
            "berth.components.crash.looping",
            () -> node.snapshot().componentsByPhase().getOrDefault(crashLoop, 0))
        .description("Components in CrashLoopBackOff: they keep ending, restarts back off")
        .register(meters);
    // The counter holds its object weakly: the node, which the gauges above hold strongly.
    FunctionCounter.builder("berth.component.restarts", node, n -> n.restarts.getAsLong())
        .description(
            "Restarts of components whose workload ended on its own (exit, crash, liveness)")
        .register(meters);
    node.snapshot();
    return node;
  }

  /** The last read of the registry, read again if older than {@link #FRESH}. */
  synchronized Snapshot snapshot() {
    long now = System.nanoTime();
    if (last == null || now - readAt > FRESH.toNanos()) {
      readAt = now;
      try {
        last = source.get();
      } catch (RuntimeException e) {
        // A registry that cannot be read (its fault is /healthz's to report) leaves the last
        // values, read again at the next scrape rather than by each of the scrape's gauges.
        LOG.log(Level.DEBUG, "the node's gauges could not read the registry: " + e);
        if (last == null) {
          last = new Snapshot(Map.of(), Map.of(), Map.of());
        }
        return last;
      }
      followCertificates(last.certificateExpiry().keySet());
    }
    return last;
  }

  /** One gauge per stored certificate: added when one appears, removed when it goes. */
  private void followCertificates(Set<String> names) {
    certificates
        .entrySet()
        .removeIf(
            entry -> {
              if (names.contains(entry.getKey())) {
                return false;
              }
              meters.remove(entry.getValue());
              return true;
            });
    for (String name : names) {
      certificates.computeIfAbsent(
          name,
          certificate ->
              Gauge.builder("berth.certificate.expiry", () -> secondsLeft(certificate))
                  .description("Seconds until the certificate's notAfter; negative once expired")
                  .baseUnit("seconds")
                  .tag("certificate", certificate)
                  .register(meters));
    }
  }

  private double secondsLeft(String certificate) {
    Instant notAfter = snapshot().certificateExpiry().get(certificate);
    return notAfter == null
        ? Double.NaN
        : Duration.between(wall.instant(), notAfter).toMillis() / 1000.0;
  }
}
