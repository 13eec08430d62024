package dev.berth.store.registry;

import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.HealthProbe;
import dev.berth.spec.model.PortMapping;
import dev.berth.spec.model.ProbeType;
import dev.berth.spec.model.RestartPolicy;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.SecretRef;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.model.VolumeMount;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Valid specs to build tests from. */
final class Specs {

  private Specs() {}

  /** One container with a route on listener port 443 for {@code <name>.example.com}. */
  static ServiceSpec web(String name) {
    return ServiceSpec.of(
        name,
        ComponentSpec.container("web", "registry.example:5000/team/web:1.0.0")
            .withRoutes(List.of(new RouteSpec("https", 443, RouteMode.L7, name + ".example.com"))));
  }

  /**
   * Valid field by field, but larger than a stored component may be: refused inside the
   * transaction, after the services of an apply named before it were written.
   */
  static ServiceSpec tooLargeToStore(String name) {
    ComponentSpec huge =
        ComponentSpec.builder("web", RuntimeKind.CONTAINER)
            .image("registry.example:5000/team/web:1.0.0")
            .env(
                java.util.stream.IntStream.range(0, 40)
                    .boxed()
                    .collect(
                        java.util.stream.Collectors.toMap(
                            i -> "VAR_" + i, i -> "v".repeat(30_000))))
            .build();
    return new ServiceSpec(name, null, DesiredState.RUNNING, null, List.of(huge));
  }

  /** Every field set, to prove a round trip loses nothing. */
  static ServiceSpec everything(String name) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("ZED", "last in the alphabet, first declared");
    env.put("ALPHA", "a=b=c");
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("team", "platform");
    labels.put("tier/level", "edge");
    ComponentSpec proxy =
        new ComponentSpec(
            "proxy",
            RuntimeKind.CONTAINER,
            "registry.example:5000/team/mc-proxy@sha256:" + "a".repeat(64),
            null,
            List.of("--config", "/data/conf", "with space"),
            env,
            List.of(
                new VolumeMount("/srv/mc", "/data", true),
                new VolumeMount("/var/log/mc", "/log", false)),
            List.of(
                new PortMapping("127.0.0.1", 8443, 443),
                new PortMapping("::1", 8080, 80),
                new PortMapping(null, 9000, 9000)),
            "mcnet",
            "1000:1000",
            RestartPolicy.UNLESS_STOPPED,
            256,
            2,
            List.of(
                new RouteSpec("web", 443, RouteMode.L7, name + ".example.com"),
                new RouteSpec("raw", 8883, RouteMode.L4, "*.mqtt.example.com")),
            new HealthProbe(
                ProbeType.HTTP,
                0,
                "web",
                "/healthz",
                true,
                Duration.ofSeconds(5),
                Duration.ofMillis(500),
                4,
                Duration.ofSeconds(20)),
            labels,
            new dev.berth.spec.model.UpdatePolicy(
                dev.berth.spec.model.UpdateStrategy.RECREATE,
                java.time.Duration.ofSeconds(90),
                java.time.Duration.ofMillis(2500),
                true),
            null);
    ComponentSpec vm =
        new ComponentSpec(
            "vm",
            RuntimeKind.UNIKERNEL,
            "/var/lib/berth/images/app.img",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            128,
            1,
            null,
            new HealthProbe(ProbeType.TCP, 8080, null, null),
            null);
    ComponentSpec worker =
        new ComponentSpec(
            "worker",
            RuntimeKind.PROCESS,
            null,
            "/usr/bin/java",
            List.of("-jar", "/opt/w.jar"),
            null,
            null,
            null,
            null,
            null,
            RestartPolicy.ON_FAILURE,
            0,
            0,
            null,
            new HealthProbe(ProbeType.GRPC, 9090, null, ""),
            null,
            null,
            List.of(new SecretRef("QUEUE_TOKEN", "queue-token")));
    return new ServiceSpec(
        name, "node-1", DesiredState.STOPPED, "all of it", List.of(proxy, vm, worker));
  }
}
