package dev.berth.reconcilers.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.reconcilers.node.BerthNode;
import dev.berth.reconcilers.testing.TlsClient;
import dev.berth.spec.identity.Labels;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.model.UpdatePolicy;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.ServiceEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redeploys of a routed process behind the real nginx, with a client sending requests through the
 * proxy all along: replaced beside, none of them fails; a new spec that never answers leaves the
 * old one serving, and with auto_revert the old spec is declared again.
 */
class ReplaceBesideTest {

  static final String SERVICE = "site";
  static final String HOSTNAME = "site.berth.internal";
  static final UpdatePolicy QUICK =
      new UpdatePolicy(null, Duration.ofSeconds(3), Duration.ofMillis(300), true);

  @TempDir Path root;
  EdgeNode edgeNode;
  Registry registry;
  TlsClient client;

  /** Requests through the proxy, one after the other, until stopped. */
  final AtomicBoolean sending = new AtomicBoolean(true);

  final AtomicInteger sent = new AtomicInteger();
  final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  Thread load;

  @BeforeEach
  void start() throws Exception {
    edgeNode = EdgeNode.start(root, builder -> builder);
    registry = edgeNode.registry;
    apply(version(1));
    client = edgeNode.edge.client();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> fetch().contains("version 1"));
  }

  @AfterEach
  void stop() throws Exception {
    sending.set(false);
    if (load != null) {
      load.join(5_000);
    }
    if (edgeNode != null) {
      edgeNode.close();
    }
  }

  ServiceSpec version(int n) throws Exception {
    ServiceSpec site = edgeNode.edge.website(SERVICE + "-v" + n, HOSTNAME, "version " + n);
    ComponentSpec web = site.components().get(0).toBuilder().update(QUICK).build();
    return new ServiceSpec(SERVICE, null, site.desiredState(), null, List.of(web));
  }

  /** A version whose process runs but never listens: it never answers its probe. */
  ServiceSpec deaf() throws Exception {
    ServiceSpec site = version(1);
    ComponentSpec web = site.components().get(0).toBuilder().cmd("-c", "exec sleep 600").build();
    return site.withComponents(List.of(web));
  }

  void apply(ServiceSpec spec) {
    registry.services().apply(ApplyRequest.of("test", List.of(spec)));
  }

  String fetch() {
    return edgeNode.edge.fetch(client, HOSTNAME);
  }

  void sendAllAlong() {
    load =
        new Thread(
            () -> {
              while (sending.get()) {
                String reply = fetch();
                sent.incrementAndGet();
                if (!reply.contains("200 OK")) {
                  failures.add(reply.lines().findFirst().orElse(reply));
                }
              }
            },
            "load");
    load.start();
  }

  long workloads() {
    return edgeNode.runtime.list().size();
  }

  List<String> reasons() {
    return registry.events().of(SERVICE).stream().map(ServiceEvent::reason).toList();
  }

  @Test
  void redeploysReplacedBesideLoseNoRequest() throws Exception {
    sendAllAlong();
    for (int n = 2; n <= 4; n++) {
      apply(version(n));
      String body = "version " + n;
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> fetch().contains(body) && workloads() == 1);
    }
    sending.set(false);
    load.join(5_000);

    assertThat(failures).isEmpty();
    assertThat(sent.get()).isGreaterThan(10);
    // Status shows the host port the proxy sends the route to: the spare, after three updates.
    int served = edgeNode.node.routes().published(SERVICE).iterator().next().backendPort();
    assertThat(
            edgeNode
                .node
                .describe(SERVICE, 0)
                .orElseThrow()
                .components()
                .get(0)
                .ports()
                .get(0)
                .hostPort())
        .isEqualTo(served)
        .isEqualTo(registry.ports().list().get(0).spareHostPort());
    assertThat(reasons()).contains("StartedBeside", "Replaced");
    assertThat(registry.events().of(SERVICE))
        .filteredOn(e -> e.reason().equals("Replaced"))
        .allSatisfy(e -> assertThat(e.message()).startsWith("replaced beside: "));
  }

  @Test
  void aNodeStoppedInTheMiddleOfAnUpdateIsFinishedByTheNextOne() throws Exception {
    // The new workload is started beside the old one, then the node's loops stop with all they
    // kept in memory (what a kill -9 of the agent loses); a new node over the same registry and
    // processes finishes the update from what runs and what is declared.
    apply(version(2));
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> reasons().contains("StartedBeside"));
    edgeNode.node.stop(Duration.ofSeconds(10));
    assertThat(workloads()).isEqualTo(2);

    try (BerthNode next =
        edgeNode
            .edge
            .wire(BerthNode.builder(registry, edgeNode.runtime), registry)
            .relistPeriod(Duration.ofSeconds(1))
            .statusFlushInterval(Duration.ofMillis(20))
            .build()) {
      next.start();
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> fetch().contains("version 2") && workloads() == 1);
      assertThat(reasons()).contains("Replaced");
      assertThat(edgeNode.runtime.list().get(0).labels()).containsEntry(Labels.SLOT, "1");
    }
  }

  @Test
  void aDeployThatNeverAnswersKeepsTheOldServingAndIsReverted() throws Exception {
    long before = registry.services().get(SERVICE).orElseThrow().generation();
    sendAllAlong();

    apply(deaf());

    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> reasons().contains("AutoReverted"));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "no AutoReverted in "
              + registry.events().of(SERVICE)
              + "; status "
              + registry.status().of(SERVICE)
              + registry.status().conditions(SERVICE),
          e);
    }
    var declared = registry.services().get(SERVICE).orElseThrow();
    assertThat(declared.generation()).isEqualTo(before + 2);
    assertThat(declared.spec()).isEqualTo(version(1));
    var newest =
        registry.services().history(SERVICE).get(registry.services().history(SERVICE).size() - 1);
    assertThat(newest.source()).isEqualTo("auto-revert");
    assertThat(newest.rollbackOf()).isEqualTo(before);
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> workloads() == 1);
    sending.set(false);
    load.join(5_000);

    assertThat(failures).isEmpty();
    assertThat(fetch()).contains("version 1");
    assertThat(registry.events().of(SERVICE))
        .filteredOn(e -> e.reason().equals("UpdateFailed"))
        .singleElement()
        .satisfies(e -> assertThat(e.message()).startsWith("ProgressDeadlineExceeded: "));
  }
}
