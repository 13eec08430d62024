package dev.berth.runner.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GrpcServerMetricsTest {

  private final PrometheusMeterRegistry meters =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HealthStatusManager health = new HealthStatusManager();
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    health.setStatus("berth.v1.AgentService", ServingStatus.SERVING);
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(
                ServerInterceptors.intercept(
                    health.getHealthService(), new GrpcServerMetrics(meters)))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void callsAreCountedByMethodAndStatusCodeAndTimed() {
    HealthGrpc.HealthBlockingStub stub = HealthGrpc.newBlockingStub(channel);
    stub.check(HealthCheckRequest.newBuilder().setService("berth.v1.AgentService").build());
    assertThatThrownBy(
            () -> stub.check(HealthCheckRequest.newBuilder().setService("unknown").build()))
        .isInstanceOf(StatusRuntimeException.class);

    String labels =
        "grpc_method=\"Check\",grpc_service=\"grpc.health.v1.Health\",grpc_type=\"unary\"";
    assertThat(meters.scrape())
        .contains("grpc_server_started_total{" + labels + "} 2.0")
        .contains("grpc_server_handled_total{grpc_code=\"OK\"," + labels + "} 1.0")
        .contains("grpc_server_handled_total{grpc_code=\"NOT_FOUND\"," + labels + "} 1.0")
        .contains("grpc_server_handling_seconds_count{" + labels + "} 2");
  }

  @Test
  void aStreamTheClientCancelsIsHandledAsCancelled() throws Exception {
    CountDownLatch first = new CountDownLatch(1);
    Context.CancellableContext context = Context.current().withCancellation();
    context.run(
        () ->
            HealthGrpc.newStub(channel)
                .watch(
                    HealthCheckRequest.newBuilder().setService("berth.v1.AgentService").build(),
                    new StreamObserver<HealthCheckResponse>() {
                      @Override
                      public void onNext(HealthCheckResponse value) {
                        first.countDown();
                      }

                      @Override
                      public void onError(Throwable t) {}

                      @Override
                      public void onCompleted() {}
                    }));
    assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(meters.scrape()).doesNotContain("grpc_server_handled_total");

    context.cancel(null);

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(meters.scrape())
                    .contains(
                        "grpc_server_handled_total{grpc_code=\"CANCELLED\",grpc_method=\"Watch\","
                            + "grpc_service=\"grpc.health.v1.Health\",grpc_type=\"server_stream\"} 1.0"));
  }
}
