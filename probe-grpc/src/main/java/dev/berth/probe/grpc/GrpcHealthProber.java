package dev.berth.probe.grpc;

import dev.berth.reconcilers.probe.ConnectFailures;
import dev.berth.reconcilers.probe.ProbeResult;
import dev.berth.reconcilers.probe.ProbeTarget;
import dev.berth.reconcilers.probe.ProbeTimeout;
import dev.berth.reconcilers.probe.Prober;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Healthy when the standard gRPC health service ({@code grpc.health.v1.Health/Check}) answers
 * SERVING for the target's service name (its path; empty asks about the whole server).
 *
 * <p>Channels are plaintext, since the targets are workloads on 127.0.0.1, and kept per host and
 * port so that probing again reuses the connection. {@link #close()} shuts them all down.
 */
public final class GrpcHealthProber implements Prober, AutoCloseable {

  private static final System.Logger LOG = System.getLogger(GrpcHealthProber.class.getName());

  /** How long {@link #close()} waits for the channels' connections to close. */
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

  // Guarded by this: the channels, keyed by "host:port", and whether close() has run.
  private final Map<String, ManagedChannel> channels = new HashMap<>();
  private boolean closed;

  @Override
  public ProbeResult probe(ProbeTarget target, Duration timeout) {
    Objects.requireNonNull(target, "target");
    long millis = ProbeTimeout.millis(timeout);
    ManagedChannel channel = channelFor(target);
    if (channel == null) {
      return ProbeResult.fail("the gRPC prober is closed");
    }
    try {
      HealthCheckResponse response =
          HealthGrpc.newBlockingStub(channel)
              .withDeadlineAfter(millis, TimeUnit.MILLISECONDS)
              .check(HealthCheckRequest.newBuilder().setService(target.path()).build());
      HealthCheckResponse.ServingStatus status = response.getStatus();
      return status == HealthCheckResponse.ServingStatus.SERVING
          ? ProbeResult.pass(status.name())
          : ProbeResult.fail(status.name());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
        // A channel that failed to connect waits out a growing reconnect backoff (up to two
        // minutes) and fails every call meanwhile; a workload that has just come up would look
        // down for that long. A fresh channel next time connects at once.
        discard(target, channel);
      }
      return ProbeResult.fail(describe(e.getStatus(), target, timeout));
    }
  }

  /** Shuts down every channel; probes after this fail. */
  @Override
  public void close() {
    List<ManagedChannel> open;
    synchronized (this) {
      closed = true;
      open = new ArrayList<>(channels.values());
      channels.clear();
    }
    open.forEach(ManagedChannel::shutdownNow);
    long deadline = System.nanoTime() + CLOSE_GRACE.toNanos();
    for (ManagedChannel channel : open) {
      try {
        if (!channel.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
          LOG.log(Level.WARNING, "gRPC probe channel {0} did not close in time", channel);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private synchronized ManagedChannel channelFor(ProbeTarget target) {
    if (closed) {
      return null;
    }
    return channels.computeIfAbsent(
        key(target),
        k ->
            Grpc.newChannelBuilderForAddress(
                    target.host(), target.port(), InsecureChannelCredentials.create())
                .build());
  }

  private void discard(ProbeTarget target, ManagedChannel channel) {
    boolean removed;
    synchronized (this) {
      removed = channels.remove(key(target), channel);
    }
    if (removed) {
      channel.shutdownNow();
    }
  }

  private static String key(ProbeTarget target) {
    return target.host() + ":" + target.port();
  }

  private static String describe(Status status, ProbeTarget target, Duration timeout) {
    return switch (status.getCode()) {
      case DEADLINE_EXCEEDED -> "DEADLINE_EXCEEDED: no answer within " + timeout.toMillis() + " ms";
      // The health service answers Check for a service it does not know with NOT_FOUND; the
      // protocol's own name for that is SERVICE_UNKNOWN.
      case NOT_FOUND -> "SERVICE_UNKNOWN: the health service does not know '" + target.path() + "'";
      case UNIMPLEMENTED -> "UNIMPLEMENTED: the server has no gRPC health service";
      case UNAVAILABLE -> "UNAVAILABLE: " + unavailableReason(status);
      default -> status.getCode() + ": " + status.getDescription();
    };
  }

  private static String unavailableReason(Status status) {
    String connect = ConnectFailures.describeIn(status.getCause());
    if (connect != null) {
      return connect;
    }
    return status.getDescription() != null ? status.getDescription() : "server unavailable";
  }
}
