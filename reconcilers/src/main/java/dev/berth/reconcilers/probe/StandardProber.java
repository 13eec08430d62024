package dev.berth.reconcilers.probe;

import java.time.Duration;

/**
 * Probes any target with the prober for its type: {@link TcpProber}, {@link HttpProber} or {@link
 * GrpcHealthProber}.
 *
 * <p>Never throws, as the {@link Prober} contract asks: anything unexpected, a caller's mistake
 * included, becomes a failed result that says what went wrong, so that a boot stage reports it
 * instead of losing its worker to an exception.
 */
public final class StandardProber implements Prober, AutoCloseable {

  private final TcpProber tcp = new TcpProber();
  private final HttpProber http = new HttpProber();
  private final GrpcHealthProber grpc = new GrpcHealthProber();

  @Override
  public ProbeResult probe(ProbeTarget target, Duration timeout) {
    try {
      Prober prober =
          switch (target.type()) {
            case TCP -> tcp;
            case HTTP -> http;
            case GRPC -> grpc;
          };
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

  /** Closes the gRPC channels. */
  @Override
  public void close() {
    grpc.close();
  }
}
