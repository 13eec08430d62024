package dev.berth.kubernetes.operator;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The cluster of the operator tests: fabric8's mock API server in CRUD mode on loopback, with the
 * BerthService CRD created first (from the checked-in file, so that {@code /status} is a
 * subresource), and a client on the JDK's HTTP client. The test plays what a real cluster's
 * controllers would do (ready replicas, a Ready certificate). Closing it stops the server.
 */
final class MockCluster implements AutoCloseable {

  static final Path CRD = Path.of("..", "deploy", "kubernetes", "berthservices.berth.dev-v1.yml");

  final KubernetesMockServer server;
  final KubernetesClient client;

  private final List<RecordedRequest> seen = new ArrayList<>();

  private MockCluster(KubernetesMockServer server, KubernetesClient client) {
    this.server = server;
    this.client = client;
  }

  static MockCluster start() throws IOException {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    KubernetesClient client = server.createClient(new JdkHttpClientFactory());
    MockCluster cluster = new MockCluster(server, client);
    try (InputStream in = Files.newInputStream(CRD)) {
      CustomResourceDefinition crd =
          client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    } catch (RuntimeException | IOException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** Every request the server has answered since it started, oldest first. */
  synchronized List<RecordedRequest> requests() {
    try {
      RecordedRequest next;
      while ((next = server.takeRequest(0, TimeUnit.MILLISECONDS)) != null) {
        seen.add(next);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return List.copyOf(seen);
  }

  /** The writes among {@link #requests()}: every request but GET (watches included). */
  List<RecordedRequest> writes() {
    return requests().stream().filter(r -> !"GET".equals(r.getMethod())).toList();
  }

  /** How many requests the server has answered so far: a mark for {@link #writesSince}. */
  int mark() {
    return requests().size();
  }

  /** The writes after {@code mark}, as {@code METHOD path} lines. */
  List<String> writesSince(int mark) {
    List<RecordedRequest> all = requests();
    return all.subList(mark, all.size()).stream()
        .filter(r -> !"GET".equals(r.getMethod()))
        .map(r -> r.getMethod() + " " + r.getPath())
        .toList();
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
