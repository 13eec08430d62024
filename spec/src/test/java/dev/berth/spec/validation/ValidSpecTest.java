package dev.berth.spec.validation;

import static dev.berth.spec.validation.Specs.API;
import static dev.berth.spec.validation.Specs.CACHE;
import static dev.berth.spec.validation.Specs.DIGEST;
import static dev.berth.spec.validation.Specs.WEB;
import static dev.berth.spec.validation.Specs.WEB_HTTPS;
import static dev.berth.spec.validation.Specs.WORKER;
import static dev.berth.spec.validation.Specs.component;
import static dev.berth.spec.validation.Specs.serviceName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.HealthProbe;
import dev.berth.spec.model.PortMapping;
import dev.berth.spec.model.ProbeType;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.model.VolumeMount;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the rules accept: valid specs produce no violation at all, not even a warning. */
class ValidSpecTest {

  private final SpecValidator validator = new SpecValidator();

  /** One accepted variation of the baseline. */
  record Row(String description, UnaryOperator<ServiceSpec> edit) {
    @Override
    public String toString() {
      return description;
    }
  }

  private static Row row(String description, UnaryOperator<ServiceSpec> edit) {
    return new Row(description, edit);
  }

  @Test
  void aRichServiceWithEveryKindOfComponentHasNoViolations() {
    ServiceSpec shop = Specs.shop();

    assertThat(validator.validate(shop)).isEmpty();
    assertThat(validator.validateAll(List.of(shop))).isEmpty();
    assertThatCode(() -> validator.check(List.of(shop))).doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validSpecs")
  void isAccepted(Row row) {
    assertThat(validator.validate(row.edit().apply(Specs.shop()))).isEmpty();
  }

  static Stream<Row> validSpecs() {
    String name63 = "a" + "0123456789".repeat(6) + "bc";
    return Stream.of(
        row("service named mc-proxy", serviceName("mc-proxy")),
        row(
            "service labels as Kubernetes writes them",
            s ->
                s.withLabels(
                    java.util.Map.of(
                        "tier", "web", "team.example.net/Owner_1", "Shop.Team-2", "x", "1"))),
        row("component named mc-proxy", component(WEB, c -> c.name("mc-proxy"))),
        row("service name of 63 characters", serviceName(name63)),
        row("component name of 63 characters", component(API, c -> c.name(name63))),
        row(
            "route name of 63 characters",
            component(
                WEB,
                c ->
                    c.routes(new RouteSpec(name63, 443, RouteMode.L7, "shop.example.com"))
                        .health(new HealthProbe(ProbeType.HTTP, 0, name63, "/healthz")))),
        row(
            "an l4 route without hostname owning a listener port no other route uses",
            component(CACHE, c -> c.routes(new RouteSpec("default", 25565, RouteMode.L4, null)))),
        row("one-character service name", serviceName("a")),
        row(
            "a container's secrets, two of them from one file",
            component(
                WEB,
                c ->
                    c.secret("DB_PASSWORD", "db-password")
                        .secret("PGPASSWORD", "db-password")
                        .secret("API_KEY", "shop.api_key-2"))),
        row("a process's secret", component(WORKER, c -> c.secret("QUEUE_TOKEN", "queue-token"))),
        row("all-digit service name", serviceName("42")),
        row("image pinned by digest", component(WEB, c -> c.image("repo/app@" + DIGEST))),
        row(
            "image with a tag and a digest, even :latest, because the digest pins it",
            component(WEB, c -> c.image("nginx:latest@" + DIGEST))),
        row(
            "image from a registry with a port",
            component(WEB, c -> c.image("registry.example:5000/team/app:1.4.2"))),
        row(
            "image from a local registry",
            component(WEB, c -> c.image("localhost:5000/app:2024.06.01-rc_1"))),
        row("image from Docker Hub with a tag", component(WEB, c -> c.image("nginx:1.27.0"))),
        row(
            "unikernel image from a registry",
            component(CACHE, c -> c.image("registry.example/unikernels/cache:2.1"))),
        row(
            "unikernel env value with spaces (quoted on the kernel command line)",
            component(CACHE, c -> c.env("GREETING", "hello from the host"))),
        row(
            "port published on an IPv6 address",
            component(API, c -> c.ports(new PortMapping("2001:db8::10", 9443, 9090)))),
        row(
            "port published on every IPv6 address",
            component(API, c -> c.ports(new PortMapping("::", 9443, 9090)))),
        row(
            "port published on an IPv4-mapped IPv6 address",
            component(API, c -> c.ports(new PortMapping("::ffff:192.0.2.1", 9443, 9090)))),
        row(
            "one host port published on two different addresses",
            component(API, c -> c.ports(new PortMapping("192.0.2.1", 8080, 9090)))),
        row(
            "ports at both ends of the range",
            component(WEB, c -> c.ports(new PortMapping(null, 1, 65535)))),
        row(
            "wildcard hostname",
            component(
                API, c -> c.routes(new RouteSpec("grpc", 443, RouteMode.L4, "*.example.com")))),
        row(
            "a wildcard and a name under it, on one listener port",
            component(
                API,
                c -> c.routes(new RouteSpec("grpc", 443, RouteMode.L4, "*.shop.example.com")))),
        row(
            "one hostname on two listener ports",
            component(
                WEB,
                c -> c.addRoute(new RouteSpec("alt", 8443, RouteMode.L7, "shop.example.com")))),
        row(
            "a component with two routes on one port for two hostnames",
            component(
                WEB,
                c ->
                    c.routes(
                        WEB_HTTPS, new RouteSpec("www", 443, RouteMode.L7, "www.example.com")))),
        row(
            "PORT set by hand on a component without routes",
            component(WORKER, c -> c.env("PORT", "8080"))),
        row(
            "env values with '=', spaces, quotes and non-ASCII text",
            component(WEB, c -> c.env("GREETING", "a=b \"c\" caf\u00e9 $(not-expanded)"))),
        row(
            "a read-only volume of a single file",
            component(
                WEB,
                c -> c.volumes(new VolumeMount("/etc/shop/app.toml", "/app/config.toml", true)))),
        row(
            "arguments are data handed to the program: option- and shell-looking ones are kept",
            component(WEB, c -> c.cmd("--privileged", "-v", "$(reboot)", "a; rm -rf /", "`id`"))),
        row("process found on PATH", component(WORKER, c -> c.executable("python3"))),
        row(
            "grpc probe of a named gRPC service",
            component(API, c -> c.health(new HealthProbe(ProbeType.GRPC, 9090, null, "shop.Api")))),
        row(
            "tcp probe of a route",
            component(WEB, c -> c.health(new HealthProbe(ProbeType.TCP, 0, "https", null)))),
        row(
            "liveness probe with its timing at the bounds: timeout equal to a 100ms period",
            component(
                WEB,
                c ->
                    c.health(
                        new HealthProbe(ProbeType.TCP, 0, "https", null)
                            .withLiveness(true)
                            .withTiming(
                                Duration.ofMillis(100),
                                Duration.ofMillis(100),
                                100,
                                Duration.ofHours(1))))),
        row(
            "liveness probe with a single failure threshold and no initial delay",
            component(
                WEB,
                c ->
                    c.health(
                        new HealthProbe(ProbeType.TCP, 0, "https", null)
                            .withLiveness(true)
                            .withTiming(Duration.ofHours(1), Duration.ofMillis(10), 1, null)))),
        row("user by uid", component(WEB, c -> c.user("0"))),
        row("user and group by name", component(WEB, c -> c.user("shop:shop"))),
        row(
            "memory and vcpus at their maximum",
            component(CACHE, c -> c.memoryMb(Rules.MAX_MEMORY_MB).vcpus(Rules.MAX_VCPUS))),
        row(
            "label key that only starts like Berth's prefix",
            component(WEB, c -> c.label("berthing/dock", "a"))),
        row("stopped service", s -> s.withDesiredState(DesiredState.STOPPED)),
        row(
            "no node and no comment",
            s -> new ServiceSpec(s.name(), null, s.desiredState(), null, s.components())));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "nginx",
        "nginx:latest",
        "registry.example:5000/team/app",
        "registry.example:5000/team/app:latest"
      })
  void floatingTagsAreAcceptedWhenThePolicyAllowsThem(String image) {
    SpecValidator relaxed = new SpecValidator(new ValidationPolicy(true));
    ServiceSpec spec = component(WEB, c -> c.image(image)).apply(Specs.shop());

    assertThat(relaxed.validate(spec)).isEmpty();
    assertThat(validator.validate(spec))
        .as("the default policy is strict")
        .extracting(Violation::path)
        .containsExactly("components[0].image");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"Nginx:1.0", "nginx:1.0 ; rm", ":1.0", "--privileged"})
  void allowingFloatingTagsStillRejectsMalformedImages(String image) {
    SpecValidator relaxed = new SpecValidator(new ValidationPolicy(true));
    ServiceSpec spec = component(WEB, c -> c.image(image)).apply(Specs.shop());

    assertThat(relaxed.validate(spec))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.path()).isEqualTo("components[0].image");
              assertThat(v.message()).startsWith("must be an image reference");
            });
  }

  @Test
  void theDefaultPolicyIsStrict() {
    assertThat(ValidationPolicy.STRICT.allowFloatingTags()).isFalse();
    ServiceSpec latest = component(WEB, c -> c.image("nginx:latest")).apply(Specs.shop());

    assertThat(new SpecValidator().validate(latest))
        .isEqualTo(new SpecValidator(ValidationPolicy.STRICT).validate(latest))
        .isNotEmpty();
  }
}
