package dev.berth.bench.kubernetes;

import dev.berth.kubernetes.operator.BerthOperator;
import dev.berth.kubernetes.operator.OperatorSettings;
import dev.berth.kubernetes.operator.WatchedNamespaces;
import dev.berth.kubernetes.resource.BerthService;
import dev.berth.kubernetes.resource.BerthServiceSpec;
import dev.berth.kubernetes.resource.BerthServiceStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The operator on fabric8's mock API server: SERVICES BerthServices declared at once, until every
 * one is {@code Ready=True}; then an idle window in which the operator should write nothing. The
 * issue's targets: 1 000 converge in at most 60 s, 3 000 in 180 s; 0 writes when idle.
 *
 * <pre>{@code
 * java -cp bench/target/benchmarks.jar dev.berth.bench.kubernetes.OperatorOnMockServer [SERVICES=1000] [IDLE_SECONDS=10]
 * }</pre>
 *
 * <p>Each service has one container component without routes: a Deployment to write and a status to
 * report. The bench plays the Deployment controller (an informer that marks each new Deployment
 * ready) with a client of its own; the operator's client sends its own User-Agent, so that the
 * server's request log tells the operator's requests (and writes) from the bench's. Resync is the
 * operator's default (10 min), so the idle window sees only what events cause.
 *
 * <p>The mock server sets much of the pace: each request takes its global lock and scans its whole
 * store, so its cost per request grows with the number of objects it holds. The figures say how
 * long the declaring alone took (the bench's own creates, one by one), to show that part.
 */
public final class OperatorOnMockServer {

  static final String NAMESPACE = "bench";
  static final String OPERATOR_AGENT = "berth-operator-bench";

  /** The mock server logs every request at INFO: kept quiet, as its printing would be timed too. */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  public static void main(String[] args) throws Exception {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int idleSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    KubernetesClient bench = server.createClient(new JdkHttpClientFactory());
    KubernetesClient operatorClient =
        server.createClient(
            b ->
                b.withHttpClientFactory(new JdkHttpClientFactory())
                    .withConfig(
                        new ConfigBuilder(bench.getConfiguration())
                            .withUserAgent(OPERATOR_AGENT)
                            .build()));
    try (InputStream in =
        BerthService.class.getResourceAsStream(
            "/META-INF/fabric8/berthservices.berth.dev-v1.yml")) {
      bench
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(
              bench.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class))
          .create();
    }
    ExecutorService playing = Executors.newFixedThreadPool(2);
    SharedIndexInformer<Deployment> deploymentController =
        bench.apps().deployments().inNamespace(NAMESPACE).inform(podsBecomeReady(bench, playing));
    BerthOperator operator =
        BerthOperator.start(
            operatorClient,
            OperatorSettings.DEFAULTS.withNamespaces(WatchedNamespaces.of(NAMESPACE)),
            new SimpleMeterRegistry());
    try {
      System.out.printf(
          "%d BerthServices (1 container component each) on the mock API server, %d cores, java %s%n",
          count, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
      RequestLog log = new RequestLog(server);
      log.drain();
      long started = System.nanoTime();
      for (int i = 0; i < count; i++) {
        bench.resource(service("svc-" + i)).create();
      }
      long declared = System.nanoTime();
      int ready = 0;
      while (ready < count) {
        Thread.sleep(250);
        ready = readyCount(bench);
        if (System.nanoTime() - started > TimeUnit.MINUTES.toNanos(15)) {
          throw new IllegalStateException("not converged after 15 minutes: " + ready + " ready");
        }
      }
      long converged = System.nanoTime();
      log.drain();
      long operatorRequests = log.operator().size();
      long operatorWrites =
          log.operator().stream().filter(r -> !"GET".equals(r.getMethod())).count();
      System.out.printf(
          "converge: %.1f s (declaring %d took %.1f s of it)%n",
          seconds(converged - started), count, seconds(declared - started));
      System.out.printf(
          "operator: %d requests, %.1f per BerthService (%d writes, %.1f per BerthService)%n",
          operatorRequests,
          operatorRequests / (double) count,
          operatorWrites,
          operatorWrites / (double) count);
      System.out.printf("operator's writes: %s%n", log.writesByKind());

      log.clear();
      Thread.sleep(TimeUnit.SECONDS.toMillis(idleSeconds));
      log.drain();
      long idleWrites = log.operator().stream().filter(r -> !"GET".equals(r.getMethod())).count();
      System.out.printf(
          "idle %d s: %d operator requests, %d writes%n",
          idleSeconds, log.operator().size(), idleWrites);
    } finally {
      operator.close();
      deploymentController.close();
      playing.shutdownNow();
      operatorClient.close();
      bench.close();
      server.destroy();
    }
  }

  /** The Deployment controller's part: a new Deployment's pods are up at once. */
  static ResourceEventHandler<Deployment> podsBecomeReady(
      KubernetesClient client, ExecutorService executor) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Deployment deployment) {
        executor.execute(() -> ready(deployment));
      }

      @Override
      public void onUpdate(Deployment before, Deployment after) {
        Integer readyReplicas =
            after.getStatus() == null ? null : after.getStatus().getReadyReplicas();
        if (readyReplicas == null || !readyReplicas.equals(after.getSpec().getReplicas())) {
          executor.execute(() -> ready(after));
        }
      }

      @Override
      public void onDelete(Deployment deployment, boolean unknown) {}

      private void ready(Deployment deployment) {
        int replicas = deployment.getSpec().getReplicas();
        client
            .apps()
            .deployments()
            .inNamespace(NAMESPACE)
            .withName(deployment.getMetadata().getName())
            .edit(
                d -> {
                  d.setStatus(
                      new DeploymentStatusBuilder()
                          .withReplicas(replicas)
                          .withReadyReplicas(replicas)
                          .build());
                  return d;
                });
      }
    };
  }

  static BerthService service(String name) {
    BerthService service = new BerthService();
    service.setMetadata(new ObjectMetaBuilder().withNamespace(NAMESPACE).withName(name).build());
    service.setSpec(
        new BerthServiceSpec(
            null,
            null,
            null,
            List.of(
                BerthServiceSpec.Component.container(
                    "web", "registry.example.net/bench/web:1.0", List.of()))));
    return service;
  }

  static int readyCount(KubernetesClient client) {
    int ready = 0;
    for (BerthService service :
        client.resources(BerthService.class).inNamespace(NAMESPACE).list().getItems()) {
      BerthServiceStatus status = service.getStatus();
      if (status != null
          && status.conditions() != null
          && status.conditions().stream()
              .anyMatch(c -> "Ready".equals(c.type()) && "True".equals(c.status()))) {
        ready++;
      }
    }
    return ready;
  }

  static double seconds(long nanos) {
    return nanos / 1e9;
  }

  /** The server's request log, split by who sent each request. */
  static final class RequestLog {
    private final KubernetesMockServer server;
    private final List<RecordedRequest> operator = new ArrayList<>();

    RequestLog(KubernetesMockServer server) {
      this.server = server;
    }

    void drain() throws InterruptedException {
      RecordedRequest next;
      while ((next = server.takeRequest(0, TimeUnit.MILLISECONDS)) != null) {
        String agent = next.getHeader("User-Agent");
        if (agent != null && agent.contains(OPERATOR_AGENT)) {
          operator.add(next);
        }
      }
    }

    /** The operator's writes, counted by method and what they wrote ({@code PATCH status}). */
    java.util.Map<String, Long> writesByKind() {
      java.util.Map<String, Long> counts = new java.util.TreeMap<>();
      for (RecordedRequest request : operator) {
        if (!"GET".equals(request.getMethod())) {
          String[] parts = request.getPath().split("\\?")[0].split("/");
          String what =
              parts[parts.length - 1].equals("status")
                  ? parts[parts.length - 3] + "/status"
                  : request.getMethod().equals("POST")
                      ? parts[parts.length - 1]
                      : parts[parts.length - 2];
          counts.merge(request.getMethod() + " " + what, 1L, Long::sum);
        }
      }
      return counts;
    }

    List<RecordedRequest> operator() {
      return operator;
    }

    void clear() {
      operator.clear();
    }
  }
}
