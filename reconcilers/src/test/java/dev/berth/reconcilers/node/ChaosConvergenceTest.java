package dev.berth.reconcilers.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.reconcilers.service.CrashLoopBackoff;
import dev.berth.reconcilers.workload.WorkloadSpecs;
import dev.berth.runtime.PullPolicy;
import dev.berth.runtime.RuntimeEvent;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadRuntime;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.runtime.fake.FakeRuntime;
import dev.berth.runtime.fake.FakeRuntime.Operation;
import dev.berth.spec.identity.Labels;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.RestartPolicy;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1 000 services of 3 components on a fake runtime where 30% of operations fail at random and
 * workloads are killed behind Berth's back: the node ends up running exactly what is declared,
 * Berth never asks for a second workload of a component, and retries stay bounded by the backoff.
 */
class ChaosConvergenceTest {

  static final int SERVICES = 1000;
  static final String IMAGE = "localhost/app:1.0";

  @TempDir Path data;

  @Test
  void convergesToExactlyTheDeclaredSetUnderFaultsAndKills() throws Exception {
    FakeRuntime fake =
        new FakeRuntime("fake", Set.of(WorkloadKind.values()), 42, java.time.Clock.systemUTC());
    fake.addImage(IMAGE);
    for (Operation operation :
        List.of(
            Operation.ENSURE_IMAGE,
            Operation.RUN,
            Operation.START,
            Operation.STOP,
            Operation.REMOVE,
            Operation.INSPECT,
            Operation.LIST)) {
      fake.failureRate(operation, 0.3);
    }
    AuditingRuntime runtime = new AuditingRuntime(fake);
    List<ServiceSpec> declared = new ArrayList<>();
    for (int i = 0; i < SERVICES; i++) {
      List<ComponentSpec> components = new ArrayList<>();
      for (String name : List.of("web", "api", "db")) {
        components.add(
            ComponentSpec.container(name, IMAGE).toBuilder().restart(RestartPolicy.ALWAYS).build());
      }
      declared.add(new ServiceSpec("svc-" + i, null, DesiredState.RUNNING, null, components));
    }
    try (Registry registry = Registry.open(RegistryConfig.at(data))) {
      registry.services().apply(ApplyRequest.of("chaos", declared));
      BerthNode node =
          BerthNode.builder(registry, runtime)
              .workers(8)
              .relistPeriod(Duration.ofMillis(500))
              // A short cap keeps the test short; the shape of the backoff is what is tested.
              .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(500))
              .crashLoopBackoff(
                  new CrashLoopBackoff(
                      Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofMinutes(10)))
              .build();
      node.start();
      try {
        Random random = new Random(7);
        long chaosEnds = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        int kills = 0;
        while (System.nanoTime() < chaosEnds) {
          List<String> ids = runtime.liveIds();
          if (!ids.isEmpty()) {
            try {
              fake.killOutOfBand(ids.get(random.nextInt(ids.size())), 137);
              kills++;
            } catch (RuntimeException gone) {
              // Removed meanwhile.
            }
          }
          Thread.sleep(5);
        }
        assertThat(kills).isGreaterThan(100);
        // Faults stop only after the kills: convergence happens under 30% failures.
        long converging = System.nanoTime();
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> exactlyDeclared(fake, declared));
        System.out.printf(
            "converged %d ms after the kills stopped (%d kills, %d runtime calls, at most %d failures"
                + " for one service)%n",
            Duration.ofNanos(System.nanoTime() - converging).toMillis(),
            kills,
            runtime.calls(),
            runtime.maxFailuresOfOneService());
        assertThat(runtime.duplicateRequests()).isEmpty();
        // Bounded retries: with per-key exponential backoff, no service is retried more often
        // than a failure streak of this length allows (0.3^k per operation makes longer ones
        // vanishingly unlikely), and once converged nothing is retried any more.
        assertThat(runtime.maxFailuresOfOneService()).isLessThan(40);
        int callsAtConvergence = runtime.calls();
        for (Operation operation : Operation.values()) {
          fake.failureRate(operation, 0);
        }
        Thread.sleep(1000);
        // Only the relist loop (every 500 ms) may call the runtime on a converged node.
        assertThat(runtime.calls() - callsAtConvergence).isLessThan(10);
      } finally {
        node.stop(Duration.ofSeconds(10));
      }
    }
  }

  /** Every declared component runs exactly once with its current spec, and nothing else runs. */
  static boolean exactlyDeclared(FakeRuntime fake, List<ServiceSpec> declared) {
    List<Workload> all;
    try {
      all = fake.list();
    } catch (RuntimeException injected) {
      return false;
    }
    Map<String, Workload> byComponent = new HashMap<>();
    for (Workload workload : all) {
      if (!workload.running()
          || byComponent.put(workload.service() + "/" + workload.component(), workload) != null) {
        return false;
      }
    }
    int expected = 0;
    for (ServiceSpec service : declared) {
      for (ComponentSpec component : service.components()) {
        expected++;
        Workload workload = byComponent.get(service.name() + "/" + component.name());
        String hash =
            WorkloadSpecs.of(service.name(), 1, component, Map.of()).labels().get(Labels.SPEC_HASH);
        if (workload == null || !hash.equals(workload.specHash())) {
          return false;
        }
      }
    }
    return byComponent.size() == expected;
  }

  /**
   * Passes every call to the fake and audits Berth's requests: a run for a component that already
   * has a workload is a duplicate request, whether or not the runtime would refuse it.
   */
  static final class AuditingRuntime implements WorkloadRuntime {
    private final FakeRuntime fake;
    private final List<String> duplicates = new ArrayList<>();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();

    // What lives on the fake, by workload id, kept from its events; the audit listens first, so it
    // has heard of a removal before Berth has.
    private final Map<String, String> componentById = new ConcurrentHashMap<>();

    AuditingRuntime(FakeRuntime fake) {
      this.fake = fake;
      fake.watch(
          event -> {
            if (event.type() == RuntimeEvent.Type.CREATED) {
              componentById.put(
                  event.workloadId(),
                  event.labels().get(Labels.SERVICE) + "/" + event.labels().get(Labels.COMPONENT));
            } else if (event.type() == RuntimeEvent.Type.REMOVED) {
              componentById.remove(event.workloadId());
            }
          });
    }

    List<String> duplicateRequests() {
      synchronized (duplicates) {
        return List.copyOf(duplicates);
      }
    }

    int maxFailuresOfOneService() {
      return failures.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
    }

    List<String> liveIds() {
      return new ArrayList<>(componentById.keySet());
    }

    int calls() {
      return calls.get();
    }

    private <T> T audited(String service, java.util.function.Supplier<T> call) {
      calls.incrementAndGet();
      try {
        return call.get();
      } catch (RuntimeException e) {
        if (service != null) {
          failures.computeIfAbsent(service, s -> new AtomicInteger()).incrementAndGet();
        }
        throw e;
      }
    }

    private String serviceOf(String id) {
      String component = componentById.get(id);
      return component == null ? null : component.substring(0, component.indexOf('/'));
    }

    @Override
    public String name() {
      return fake.name();
    }

    @Override
    public Set<WorkloadKind> kinds() {
      return fake.kinds();
    }

    @Override
    public void ensureImage(String image, PullPolicy policy) {
      audited(
          null,
          () -> {
            fake.ensureImage(image, policy);
            return null;
          });
    }

    @Override
    public void ensureImage(WorkloadSpec spec, PullPolicy policy) {
      audited(
          spec.labels().get(Labels.SERVICE),
          () -> {
            fake.ensureImage(spec, policy);
            return null;
          });
    }

    @Override
    public Workload run(WorkloadSpec spec) {
      String service = spec.labels().get(Labels.SERVICE);
      String component = spec.labels().get(Labels.COMPONENT);
      if (componentById.containsValue(service + "/" + component)) {
        synchronized (duplicates) {
          duplicates.add(service + "/" + component);
        }
      }
      return audited(service, () -> fake.run(spec));
    }

    @Override
    public void start(String id) {
      audited(
          serviceOf(id),
          () -> {
            fake.start(id);
            return null;
          });
    }

    @Override
    public void stop(String id, Duration timeout) {
      audited(
          serviceOf(id),
          () -> {
            fake.stop(id, timeout);
            return null;
          });
    }

    @Override
    public void remove(String id) {
      audited(
          serviceOf(id),
          () -> {
            fake.remove(id);
            return null;
          });
    }

    @Override
    public Optional<Workload> inspect(String id) {
      return audited(null, () -> fake.inspect(id));
    }

    @Override
    public List<Workload> list() {
      return audited(null, fake::list);
    }

    @Override
    public Stream<String> logs(String id, int tail, boolean follow) {
      return fake.logs(id, tail, follow);
    }

    @Override
    public AutoCloseable watch(Consumer<RuntimeEvent> listener) {
      return fake.watch(listener);
    }
  }
}
