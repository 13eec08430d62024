package dev.berth.runner.api;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The API's calls, counted and timed under the names of the Prometheus gRPC interceptors
 * (go-grpc-prometheus, grpc-ecosystem's java one), so that their dashboards read the agent: {@code
 * grpc_server_started_total}, {@code grpc_server_handled_total} (with {@code grpc_code}) and {@code
 * grpc_server_handling_seconds} (a histogram), each labelled {@code grpc_type} ({@code unary},
 * {@code server_stream}, ...), {@code grpc_service} and {@code grpc_method}. The labels come from
 * the served methods and the 17 status codes only, never from a request, so the series stay
 * bounded. A call refused before it reaches the services (authentication) is not counted.
 */
public final class GrpcServerMetrics implements ServerInterceptor {

  /** From a status read to a stream held open for minutes ({@code logs --follow}, watches). */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(5),
    Duration.ofMillis(25),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(10),
    Duration.ofSeconds(60),
    Duration.ofSeconds(300)
  };

  private final MeterRegistry meters;

  public GrpcServerMetrics(MeterRegistry meters) {
    this.meters = Objects.requireNonNull(meters, "meters");
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    MethodDescriptor<Q, R> method = call.getMethodDescriptor();
    String[] labels = {
      "grpc_type", type(method.getType()),
      "grpc_service", String.valueOf(method.getServiceName()),
      "grpc_method", String.valueOf(method.getBareMethodName())
    };
    Counter.builder("grpc.server.started")
        .description("RPCs started on the server")
        .tags(labels)
        .register(meters)
        .increment();
    CountedCall<Q, R> counted = new CountedCall<>(call, labels);
    return new SimpleForwardingServerCallListener<>(next.startCall(counted, headers)) {
      @Override
      public void onCancel() {
        // The client went away (or its deadline passed) before a status was sent.
        counted.finished(Status.Code.CANCELLED);
        super.onCancel();
      }
    };
  }

  /** A call that records how it ended, once: at its status, or at its cancellation. */
  private final class CountedCall<Q, R> extends SimpleForwardingServerCall<Q, R> {
    private final String[] labels;
    private final long start = System.nanoTime();
    private final AtomicBoolean finished = new AtomicBoolean();

    CountedCall(ServerCall<Q, R> call, String[] labels) {
      super(call);
      this.labels = labels;
    }

    @Override
    public void close(Status status, Metadata trailers) {
      finished(status.getCode());
      super.close(status, trailers);
    }

    void finished(Status.Code code) {
      if (!finished.compareAndSet(false, true)) {
        return;
      }
      Counter.builder("grpc.server.handled")
          .description("RPCs completed on the server, by status code")
          .tags(labels)
          .tag("grpc_code", code.name())
          .register(meters)
          .increment();
      Timer.builder("grpc.server.handling")
          .description("How long RPCs take on the server, until their status is sent")
          .tags(labels)
          .serviceLevelObjectives(BUCKETS)
          .register(meters)
          .record(Duration.ofNanos(System.nanoTime() - start));
    }
  }

  /** The {@code grpc_type} label, spelled as go-grpc-prometheus spells it. */
  private static String type(MethodDescriptor.MethodType type) {
    switch (type) {
      case UNARY:
        return "unary";
      case CLIENT_STREAMING:
        return "client_stream";
      case SERVER_STREAMING:
        return "server_stream";
      case BIDI_STREAMING:
        return "bidi_stream";
      default:
        return type.name().toLowerCase(Locale.ROOT);
    }
  }
}
