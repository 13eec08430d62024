package dev.berth.reconcilers.probe;

import dev.berth.spec.model.ProbeType;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Probes any target with the prober for its type: {@link TcpProber} and {@link HttpProber} are
 * built in; a gRPC health prober comes from the optional {@code berth-probe-grpc} module ({@code
 * dev.berth.probe.grpc.GrpcHealthProber}), passed in through {@link #with}, so that an embedder who
 * probes no gRPC server carries no gRPC.
 *
 * <p>A target of a type with no prober fails, saying which module provides one: a gRPC health probe
 * on a node without that module must never pass silently.
 *
 * <p>Never throws, as the {@link Prober} contract asks: anything unexpected, a caller's mistake
 * included, becomes a failed result that says what went wrong, so that a boot stage reports it
 * instead of losing its worker to an exception.
 */
public final class StandardProber implements Prober, AutoCloseable {

  private static final System.Logger LOG = System.getLogger(StandardProber.class.getName());

  /** The probers by type; tcp and http always, the others as given. */
  private final Map<ProbeType, Prober> probers;

  /** Probes tcp and http targets; gRPC targets fail, naming the module that probes them. */
  public StandardProber() {
    this(new EnumMap<>(ProbeType.class));
  }

  private StandardProber(Map<ProbeType, Prober> probers) {
    probers.putIfAbsent(ProbeType.TCP, new TcpProber());
    probers.putIfAbsent(ProbeType.HTTP, new HttpProber());
    this.probers = probers;
  }

  /**
   * A prober that probes {@code type} with {@code prober} and every other type as this one does.
   * {@link #close()} closes {@code prober} if it is {@link AutoCloseable}.
   */
  public StandardProber with(ProbeType type, Prober prober) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(prober, "prober");
    Map<ProbeType, Prober> next = new EnumMap<>(probers);
    next.put(type, prober);
    return new StandardProber(next);
  }

  /** Whether targets of {@code type} are probed (rather than failed for want of a prober). */
  public boolean probes(ProbeType type) {
    return probers.containsKey(type);
  }

  @Override
  public ProbeResult probe(ProbeTarget target, Duration timeout) {
    try {
      Prober prober = probers.get(target.type());
      if (prober == null) {
        return ProbeResult.fail(missing(target.type()));
      }
      return prober.probe(target, timeout);
    } catch (RuntimeException e) {
      return ProbeResult.fail(
          "probe of "
              + target
              + " failed unexpectedly: "
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage());
    }
  }

  /** Closes the probers that hold resources (the gRPC prober's channels). */
  @Override
  public void close() {
    for (Prober prober : probers.values()) {
      if (prober instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          LOG.log(Level.WARNING, "closing prober " + prober + " failed", e);
        }
      }
    }
  }

  /** Why a target of {@code type} cannot be probed here, and what would probe it. */
  static String missing(ProbeType type) {
    if (type == ProbeType.GRPC) {
      return "no prober for gRPC health probes on this node: add the berth-probe-grpc module"
          + " (dev.berth.probe.grpc.GrpcHealthProber) to the node's probers";
    }
    return "no prober for " + type.wire() + " probes on this node";
  }
}
