package dev.berth.spec.validation;

import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.HealthProbe;
import dev.berth.spec.model.PortMapping;
import dev.berth.spec.model.ProbeType;
import dev.berth.spec.model.RestartPolicy;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.model.VolumeMount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A valid service that uses every kind of field, and small edits of it. Each invalid case in the
 * tests is this baseline with one thing broken, so that the violation it expects is the only rule
 * the case is about.
 */
final class Specs {

  static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

  /** Component indexes of {@link #shop()}. */
  static final int WEB = 0;

  static final int API = 1;
  static final int CACHE = 2;
  static final int WORKER = 3;

  static final RouteSpec WEB_HTTPS = new RouteSpec("https", 443, RouteMode.L7, "shop.example.com");
  static final RouteSpec API_GRPC =
      new RouteSpec("grpc", 443, RouteMode.L4, "api.shop.example.com");

  private Specs() {}

  /**
   * A container behind an L7 route with volumes, a published port, env, labels and an http probe; a
   * digest-pinned container behind an L4 route published on IPv6; a unikernel from a file; a host
   * process.
   */
  static ServiceSpec shop() {
    return new ServiceSpec(
        "shop",
        "node-1.example.com",
        DesiredState.RUNNING,
        "The shop: front end, API, cache and order worker.\nOwned by team shop.",
        List.of(web(), api(), cache(), worker()));
  }

  static ComponentSpec web() {
    return new ComponentSpec(
        "web",
        RuntimeKind.CONTAINER,
        "registry.example:5000/shop/web:1.4.2",
        null,
        List.of("--listen", "0.0.0.0:8080"),
        ordered("LOG_LEVEL", "info", "UPLOAD_DIR", "/data/uploads"),
        List.of(
            new VolumeMount("/srv/shop/static", "/usr/share/shop/static", true),
            new VolumeMount("/var/lib/shop/uploads", "/data/uploads", false)),
        List.of(new PortMapping("127.0.0.1", 8080, 8080)),
        "shop-net",
        "1000:1000",
        RestartPolicy.ALWAYS,
        512,
        2,
        List.of(WEB_HTTPS),
        new HealthProbe(ProbeType.HTTP, 0, "https", "/healthz"),
        ordered("team", "shop", "example.com/tier", "frontend"));
  }

  static ComponentSpec api() {
    return new ComponentSpec(
        "api",
        RuntimeKind.CONTAINER,
        "shop/api@" + DIGEST,
        null,
        null,
        ordered("GRPC_MAX_STREAMS", "100"),
        null,
        List.of(new PortMapping("::1", 9443, 9090)),
        null,
        null,
        RestartPolicy.UNLESS_STOPPED,
        256,
        0,
        List.of(API_GRPC),
        new HealthProbe(ProbeType.GRPC, 9090, null, ""),
        null);
  }

  static ComponentSpec cache() {
    return new ComponentSpec(
        "cache",
        RuntimeKind.UNIKERNEL,
        "/var/lib/berth/images/cache.img",
        null,
        List.of("maxmemory=200mb"),
        null,
        null,
        null,
        null,
        null,
        RestartPolicy.ON_FAILURE,
        256,
        1,
        null,
        new HealthProbe(ProbeType.TCP, 6379, null, null),
        null);
  }

  static ComponentSpec worker() {
    return new ComponentSpec(
        "worker",
        RuntimeKind.PROCESS,
        null,
        "/usr/local/bin/shop-worker",
        List.of("--queue", "orders"),
        ordered("QUEUE_URL", "amqp://queue.internal:5672/orders"),
        null,
        null,
        null,
        null,
        RestartPolicy.ON_FAILURE,
        128,
        0,
        null,
        null,
        null);
  }

  /** The same service under another name. */
  static ServiceSpec named(ServiceSpec service, String name) {
    return new ServiceSpec(
        name, service.node(), service.desiredState(), service.comment(), service.components());
  }

  /** An edit of the baseline that renames the service. */
  static UnaryOperator<ServiceSpec> serviceName(String name) {
    return service -> named(service, name);
  }

  static UnaryOperator<ServiceSpec> node(String node) {
    return s -> new ServiceSpec(s.name(), node, s.desiredState(), s.comment(), s.components());
  }

  /** An edit of the baseline that changes one of its components. */
  static UnaryOperator<ServiceSpec> component(
      int index, UnaryOperator<ComponentSpec.Builder> edit) {
    return service -> {
      List<ComponentSpec> components = new ArrayList<>(service.components());
      components.set(index, edit.apply(components.get(index).toBuilder()).build());
      return service.withComponents(components);
    };
  }

  static Map<String, String> ordered(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
