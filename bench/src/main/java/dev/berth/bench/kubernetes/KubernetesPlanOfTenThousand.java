package dev.berth.bench.kubernetes;

import dev.berth.core.stage.Admission;
import dev.berth.kubernetes.plan.KubernetesPlan;
import dev.berth.kubernetes.plan.KubernetesPlanner;
import dev.berth.kubernetes.plan.ObservedObjects;
import dev.berth.kubernetes.plan.OperatorConfig;
import dev.berth.kubernetes.plan.Owner;
import dev.berth.kubernetes.plan.PlanInput;
import dev.berth.kubernetes.resource.BerthServiceSpec;
import dev.berth.kubernetes.resource.ServiceSpecMapping;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.HealthProbe;
import dev.berth.spec.model.ProbeType;
import dev.berth.spec.model.RestartPolicy;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The Kubernetes mode's planner on SERVICES BerthServices, one thread, no cluster: the issue's
 * target is at most 1 s for 10 000.
 *
 * <pre>{@code
 * java -cp bench/target/benchmarks.jar dev.berth.bench.kubernetes.KubernetesPlanOfTenThousand [SERVICES=10000] [ROUNDS=5]
 * }</pre>
 *
 * <p>Each service has two components: {@code web}, with an l7 and an l4 route and an http probe,
 * and {@code worker}, without routes; so a plan builds 2 Deployments, a Service, a Certificate, a
 * TLSRoute and, once the certificate is ready, an Ingress, and hashes each. Two passes per round:
 * <b>create</b>, every service planned against an empty cluster (everything to write), and
 * <b>resync</b>, every service planned against a cluster that holds what the create pass wrote (the
 * periodic resync of an idle operator: nothing to write). The resync pass checks that it is idle.
 * Spec reading and validation are part of each plan, as in the operator.
 */
public final class KubernetesPlanOfTenThousand {

  static final String IMAGE = "registry.example.net/bench/web:1.0";

  public static void main(String[] args) {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    System.out.printf(
        "%d BerthServices x 2 components (an l7 and an l4 route), %d cores, %s%n",
        count, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    KubernetesPlanner planner = new KubernetesPlanner(OperatorConfig.DEFAULTS);
    List<BerthServiceSpec> specs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      specs.add(ServiceSpecMapping.fromServiceSpec(service("svc-" + i)));
    }
    Instant now = Instant.parse("2026-12-02T10:00:00Z");
    for (int round = 1; round <= rounds; round++) {
      List<ObservedObjects> held = new ArrayList<>(count);
      long started = System.nanoTime();
      long cpu = cpuNanos();
      int writes = 0;
      for (int i = 0; i < count; i++) {
        KubernetesPlan plan =
            planner.plan(
                new PlanInput(
                    owner(i), specs.get(i), null, ObservedObjects.none(), Admission.GRANTED, now));
        writes += plan.writes().size();
        held.add(ObservedObjects.none().with(plan.writes().toArray(HasMetadata[]::new)));
      }
      long create = System.nanoTime() - started;
      long createCpu = cpuNanos() - cpu;

      started = System.nanoTime();
      cpu = cpuNanos();
      int idleWrites = 0;
      for (int i = 0; i < count; i++) {
        KubernetesPlan plan =
            planner.plan(
                new PlanInput(owner(i), specs.get(i), null, held.get(i), Admission.GRANTED, now));
        idleWrites += plan.writes().size() + plan.deletions().size();
      }
      long resync = System.nanoTime() - started;
      long resyncCpu = cpuNanos() - cpu;
      System.out.printf(
          "round %d: create %d ms (cpu %d ms, %d objects), resync %d ms (cpu %d ms, %d writes)%n",
          round,
          create / 1_000_000,
          createCpu / 1_000_000,
          writes,
          resync / 1_000_000,
          resyncCpu / 1_000_000,
          idleWrites);
      if (idleWrites != 0) {
        throw new IllegalStateException("a resync of an up-to-date cluster wrote " + idleWrites);
      }
    }
  }

  /**
   * The CPU time of this thread: on a machine shared with other work, wall time counts the waits
   * for a core too.
   */
  static long cpuNanos() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  static Owner owner(int i) {
    return new Owner("bench", "svc-" + i, "uid-" + i, 1);
  }

  static ServiceSpec service(String name) {
    return ServiceSpec.of(
        name,
        ComponentSpec.builder("web", RuntimeKind.CONTAINER)
            .image(IMAGE)
            .restart(RestartPolicy.ALWAYS)
            .env("LOG_LEVEL", "info")
            .memoryMb(256)
            .routes(
                new RouteSpec("https", 443, RouteMode.L7, name + ".example.net"),
                new RouteSpec("mqtt", 8883, RouteMode.L4, name + ".mqtt.example.net"))
            .health(new HealthProbe(ProbeType.HTTP, 0, "https", "/healthz"))
            .build(),
        ComponentSpec.builder("worker", RuntimeKind.CONTAINER)
            .image(IMAGE)
            .restart(RestartPolicy.ALWAYS)
            .cmd("--worker")
            .build());
  }
}
