package dev.berth.spec.validation;

import static dev.berth.spec.validation.Specs.API;
import static dev.berth.spec.validation.Specs.CACHE;
import static dev.berth.spec.validation.Specs.WEB;
import static dev.berth.spec.validation.Specs.WEB_HTTPS;
import static dev.berth.spec.validation.Specs.WORKER;
import static dev.berth.spec.validation.Specs.component;
import static dev.berth.spec.validation.Specs.node;
import static dev.berth.spec.validation.Specs.serviceName;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.HealthProbe;
import dev.berth.spec.model.PortMapping;
import dev.berth.spec.model.ProbeType;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.model.UpdatePolicy;
import dev.berth.spec.model.UpdateStrategy;
import dev.berth.spec.model.VolumeMount;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row breaks one rule in an otherwise valid service and names the violation it must produce:
 * the field path, relative to the service, and a fragment of the rule. Hostile input (shell
 * snippets, options, path traversal, control characters, huge values) is rejected like any other
 * bad value, and the message quotes it escaped and cut short.
 */
class InvalidSpecTableTest {

  /** Room for the longest rule plus a value quoted cut at 64 characters; far below 10 000. */
  private static final int LONGEST_MESSAGE = 400;

  private static final String HUGE = "a".repeat(10_000);

  private final SpecValidator validator = new SpecValidator();

  /** One broken rule. */
  record Row(
      String description, UnaryOperator<ServiceSpec> edit, String path, String messageFragment) {
    @Override
    public String toString() {
      return description;
    }
  }

  private static Row row(
      String description, UnaryOperator<ServiceSpec> edit, String path, String messageFragment) {
    return new Row(description, edit, path, messageFragment);
  }

  @Test
  void theBaselineIsValid() {
    assertThat(validator.validate(Specs.shop())).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void namesTheFieldPathAndTheBrokenRule(Row row) {
    List<Violation> violations = validator.validate(row.edit().apply(Specs.shop()));

    assertThat(violations)
        .as("violations of: %s", row.description())
        .anySatisfy(
            v -> {
              assertThat(v.path()).isEqualTo(row.path());
              assertThat(v.message()).contains(row.messageFragment());
            });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void messagesStayShortAndPrintable(Row row) {
    List<Violation> violations = validator.validate(row.edit().apply(Specs.shop()));

    assertThat(violations)
        .allSatisfy(
            v -> {
              assertThat(v.toString()).hasSizeLessThan(LONGEST_MESSAGE);
              assertThat(v.toString().chars()).noneMatch(Character::isISOControl);
              assertThat(v.toString()).doesNotContain("a".repeat(Text.SHOWN + 1));
            });
  }

  static Stream<Row> invalidSpecs() {
    return Stream.of(
            names(),
            injections(),
            controlCharacters(),
            hugeValues(),
            duplicates(),
            numbers(),
            hostnames(),
            volumes(),
            environment(),
            secrets(),
            kernelCommandLine(),
            labels(),
            images(),
            workloads(),
            health(),
            probeTimings(),
            updates(),
            serviceFields())
        .flatMap(rows -> rows);
  }

  private static Stream<Row> names() {
    return Stream.of(
        row("empty service name", serviceName(""), "name", "must not be empty"),
        row("missing service name", serviceName(null), "name", "must not be empty"),
        row("uppercase service name", serviceName("Shop"), "name", "lowercase DNS label"),
        row("service name starting with '-'", serviceName("-shop"), "name", "lowercase DNS label"),
        row("service name ending with '-'", serviceName("shop-"), "name", "lowercase DNS label"),
        row(
            "service name of 64 characters",
            serviceName("s".repeat(64)),
            "name",
            "1-63 characters"),
        row("service name with a dot", serviceName("shop.v2"), "name", "lowercase DNS label"),
        row("service name with '_'", serviceName("shop_v2"), "name", "lowercase DNS label"),
        row(
            "service name with a non-ASCII letter",
            serviceName("caf\u00e9"),
            "name",
            "\"caf\u00e9\""),
        row(
            "empty component name",
            component(WEB, c -> c.name("")),
            "components[0].name",
            "must not be empty"),
        row(
            "uppercase component name",
            component(API, c -> c.name("API")),
            "components[1].name",
            "was \"API\""),
        row(
            "component name ending with '-'",
            component(API, c -> c.name("api-")),
            "components[1].name",
            "lowercase DNS label"),
        row(
            "empty route name",
            component(WEB, c -> c.routes(new RouteSpec("", 443, RouteMode.L7, "shop.example.com"))),
            "components[0].routes[0].name",
            "must not be empty"),
        row(
            "uppercase route name",
            component(
                WEB, c -> c.routes(new RouteSpec("HTTPS", 443, RouteMode.L7, "shop.example.com"))),
            "components[0].routes[0].name",
            "lowercase DNS label"));
  }

  private static Stream<Row> secrets() {
    return Stream.of(
        row(
            "secret name that is no identifier",
            component(WEB, c -> c.secret("DB-PASSWORD", "db-password")),
            "components[0].secrets[0].name",
            "must be identifiers"),
        row(
            "secret name that env sets too",
            component(WEB, c -> c.secret("LOG_LEVEL", "log-level")),
            "components[0].secrets[0].name",
            "env sets \"LOG_LEVEL\" too"),
        row(
            "secret named PORT",
            component(WORKER, c -> c.secret("PORT", "port")),
            "components[3].secrets[0].name",
            "set by Berth from the component's routes"),
        row(
            "secret named PORT_<ROUTE>",
            component(WEB, c -> c.secret("PORT_HTTPS", "port")),
            "components[0].secrets[0].name",
            "set by Berth from the component's routes"),
        row(
            "two secrets of one name",
            component(WEB, c -> c.secret("DB_PASSWORD", "a").secret("DB_PASSWORD", "b")),
            "components[0].secrets[1].name",
            "duplicate secret name \"DB_PASSWORD\": secrets[0] has it too"),
        row(
            "secret file outside the directory with '..'",
            component(WEB, c -> c.secret("DB_PASSWORD", "..")),
            "components[0].secrets[0].file",
            "must be a file name in the agent's secrets directory"),
        row(
            "secret file as a path",
            component(WEB, c -> c.secret("DB_PASSWORD", "../../etc/shadow")),
            "components[0].secrets[0].file",
            "no '/'"),
        row(
            "secret file as an absolute path",
            component(WEB, c -> c.secret("DB_PASSWORD", "/etc/shadow")),
            "components[0].secrets[0].file",
            "was \"/etc/shadow\""),
        row(
            "hidden secret file",
            component(WEB, c -> c.secret("DB_PASSWORD", ".db-password")),
            "components[0].secrets[0].file",
            "not starting with '.'"),
        row(
            "empty secret file",
            component(WEB, c -> c.secret("DB_PASSWORD", "")),
            "components[0].secrets[0].file",
            "must be a file name"),
        row(
            "missing secret file",
            component(WEB, c -> c.secret("DB_PASSWORD", null)),
            "components[0].secrets[0].file",
            "must be a file name"),
        row(
            "secret of a unikernel",
            component(CACHE, c -> c.secret("DB_PASSWORD", "db-password")),
            "components[2].secrets",
            "a unikernel takes no secrets"));
  }

  private static Stream<Row> injections() {
    return Stream.of(
        row(
            "shell command in a service name",
            serviceName("web;rm -rf /"),
            "name",
            "was \"web;rm -rf /\""),
        row(
            "command substitution in a service name",
            serviceName("$(reboot)"),
            "name",
            "was \"$(reboot)\""),
        row(
            "backticks in a component name",
            component(WEB, c -> c.name("`reboot`")),
            "components[0].name",
            "was \"`reboot`\""),
        row(
            "pipe in a component name",
            component(WEB, c -> c.name("web|nc evil 1")),
            "components[0].name",
            "lowercase DNS label"),
        row(
            "'&&' in a route name",
            component(
                WEB,
                c -> c.routes(new RouteSpec("a&&reboot", 443, RouteMode.L7, "shop.example.com"))),
            "components[0].routes[0].name",
            "lowercase DNS label"),
        row(
            "a quote in a service name is escaped in the message",
            serviceName("shop\" ok=\"1"),
            "name",
            "was \"shop\\\" ok=\\\"1\""),
        row(
            "option '--privileged' as a service name",
            serviceName("--privileged"),
            "name",
            "was \"--privileged\""),
        row(
            "option '-v' as a component name",
            component(WEB, c -> c.name("-v")),
            "components[0].name",
            "was \"-v\""),
        row(
            "shell command in a route hostname",
            component(
                WEB,
                c ->
                    c.routes(new RouteSpec("https", 443, RouteMode.L7, "shop.example.com;reboot"))),
            "components[0].routes[0].hostname",
            "lowercase DNS name"),
        row(
            "option '--network=host' as a network",
            component(WEB, c -> c.network("--network=host")),
            "components[0].network",
            "must be a network name"),
        row(
            "shell command in a user",
            component(WEB, c -> c.user("root;reboot")),
            "components[0].user",
            "must be user[:group] or uid[:gid]"));
  }

  private static Stream<Row> controlCharacters() {
    return Stream.of(
        row("NUL in a service name", serviceName("shop\0"), "name", "was \"shop\\u0000\""),
        row(
            "newline in a component name",
            component(WEB, c -> c.name("web\nX-Injected: 1")),
            "components[0].name",
            "was \"web\\nX-Injected: 1\""),
        row(
            "ESC in a route name",
            component(
                WEB,
                c -> c.routes(new RouteSpec("\u001b[31m", 443, RouteMode.L7, "shop.example.com"))),
            "components[0].routes[0].name",
            "was \"\\u001b[31m\""),
        row(
            "NUL in an argument",
            component(WEB, c -> c.cmd("--listen", "0.0.0.0:8080\0--privileged")),
            "components[0].cmd[1]",
            "must not contain control characters"),
        row(
            "newline in an argument",
            component(WORKER, c -> c.cmd("--queue\nrm -rf /")),
            "components[3].cmd[0]",
            "must not contain control characters, was \"--queue\\nrm -rf /\""),
        row(
            "NUL in an env value",
            component(WEB, c -> c.env("LOG_LEVEL", "info\0")),
            "components[0].env[\"LOG_LEVEL\"]",
            "must not contain control characters"),
        row(
            "ESC in an env value",
            component(WEB, c -> c.env("LOG_LEVEL", "\u001b]0;owned\u0007")),
            "components[0].env[\"LOG_LEVEL\"]",
            "must not contain control characters"),
        row(
            "newline in a label value",
            component(WEB, c -> c.label("team", "shop\nberth.service=other")),
            "components[0].labels[\"team\"]",
            "must not contain control characters"),
        row(
            "ESC in a label value",
            component(WEB, c -> c.label("team", "\u001b[2J")),
            "components[0].labels[\"team\"]",
            "must not contain control characters"),
        row(
            "NUL in a volume's host path",
            component(WEB, c -> c.volumes(new VolumeMount("/srv/shop\0/etc", "/data", false))),
            "components[0].volumes[0].host",
            "must not contain control characters"),
        row(
            "NUL in a comment",
            s -> s.withComment("ok\0"),
            "comment",
            "must not contain control characters"));
  }

  private static Stream<Row> hugeValues() {
    return Stream.of(
        row(
            "10 000-character service name, quoted cut short",
            serviceName(HUGE),
            "name",
            "... (10000 characters)"),
        row(
            "10 000-character image, quoted cut short",
            component(WEB, c -> c.image(HUGE)),
            "components[0].image",
            "... (10000 characters)"),
        row(
            "10 000-character route hostname, quoted cut short",
            component(WEB, c -> c.routes(new RouteSpec("https", 443, RouteMode.L7, HUGE))),
            "components[0].routes[0].hostname",
            "... (10000 characters)"),
        row(
            "10 000-character argument",
            component(WEB, c -> c.cmd(HUGE)),
            "components[0].cmd[0]",
            "must be at most 4096 characters, was 10000"),
        row(
            "10 000-character env name, cut short in the path too",
            component(WEB, c -> c.env(HUGE, "x")),
            "components[0].env[\"" + "a".repeat(64) + "\"... (10000 characters)]",
            "must be identifiers"),
        row(
            "env value over 32 768 characters",
            component(WEB, c -> c.env("LOG_LEVEL", "x".repeat(40_000))),
            "components[0].env[\"LOG_LEVEL\"]",
            "must be at most 32768 characters, was 40000"),
        row(
            "comment over 1024 characters",
            s -> s.withComment("x".repeat(2000)),
            "comment",
            "must be at most 1024 characters, was 2000"));
  }

  private static Stream<Row> duplicates() {
    return Stream.of(
        row(
            "two components with one name",
            component(API, c -> c.name("web")),
            "components[1].name",
            "duplicate component name \"web\": components[0] has it too"),
        row(
            "two routes of a component with one name",
            component(
                WEB,
                c -> c.addRoute(new RouteSpec("https", 8443, RouteMode.L7, "shop.example.com"))),
            "components[0].routes[1].name",
            "duplicate route name \"https\": routes[0] has it too"),
        row(
            "two routes of a component claiming one listener port and hostname",
            component(
                WEB, c -> c.addRoute(new RouteSpec("tls", 443, RouteMode.L4, "shop.example.com"))),
            "components[0].routes[1]",
            "listener port 443 for hostname shop.example.com is already claimed by"
                + " components[0].routes[0]"),
        row(
            "two components' routes claiming one listener port and hostname",
            component(
                API, c -> c.routes(new RouteSpec("grpc", 443, RouteMode.L4, "shop.example.com"))),
            "components[1].routes[0]",
            "is already claimed by components[0].routes[0]"),
        row(
            "two routes without hostname on one listener port",
            component(
                CACHE,
                c ->
                    c.routes(
                        new RouteSpec("a", 7000, RouteMode.L4, null),
                        new RouteSpec("b", 7000, RouteMode.L4, null))),
            "components[2].routes[1].hostname",
            "listener port 7000 without a hostname takes the whole port, and"
                + " components[2].routes[0] claims it already"),
        row(
            "a route without hostname on a port where another route has a hostname",
            component(API, c -> c.routes(new RouteSpec("grpc", 443, RouteMode.L4, null))),
            "components[1].routes[0].hostname",
            "listener port 443 without a hostname takes the whole port, and"
                + " components[0].routes[0] claims it already"),
        row(
            "a route with a hostname on a port that a route without hostname owns",
            component(
                WEB,
                c ->
                    c.routes(
                        new RouteSpec("tls", 443, RouteMode.L4, null),
                        new RouteSpec("https", 443, RouteMode.L7, "shop.example.com"))),
            "components[0].routes[1].hostname",
            "listener port 443 for hostname shop.example.com is already claimed by"
                + " components[0].routes[0], which has no hostname and takes the whole port"),
        row(
            "one host address and port published twice",
            component(API, c -> c.ports(new PortMapping("127.0.0.1", 8080, 9090))),
            "components[1].ports[0]",
            "host port 8080 is already published by components[0].ports[0]"),
        row(
            "a port published on every address and again on one",
            component(API, c -> c.ports(new PortMapping(null, 8080, 9090))),
            "components[1].ports[0]",
            "host port 8080 is already published by components[0].ports[0]"),
        row(
            "a port published on 0.0.0.0 and again on the default address",
            component(
                WEB,
                c ->
                    c.ports(
                        new PortMapping("0.0.0.0", 8080, 8080), new PortMapping(null, 8080, 80))),
            "components[0].ports[1]",
            "host port 8080 is already published by components[0].ports[0]"));
  }

  private static Stream<Row> numbers() {
    return Stream.of(
        row(
            "route port -1",
            component(
                WEB, c -> c.routes(new RouteSpec("https", -1, RouteMode.L7, "shop.example.com"))),
            "components[0].routes[0].port",
            "must be 1..65535, was -1"),
        row(
            "route port 0",
            component(
                API, c -> c.routes(new RouteSpec("grpc", 0, RouteMode.L4, "api.example.com"))),
            "components[1].routes[0].port",
            "must be 1..65535, was 0"),
        row(
            "route port 65536",
            component(
                WEB,
                c -> c.routes(new RouteSpec("https", 65536, RouteMode.L7, "shop.example.com"))),
            "components[0].routes[0].port",
            "must be 1..65535, was 65536"),
        row(
            "route port Integer.MAX_VALUE",
            component(
                WEB,
                c ->
                    c.routes(
                        new RouteSpec(
                            "https", Integer.MAX_VALUE, RouteMode.L7, "shop.example.com"))),
            "components[0].routes[0].port",
            "must be 1..65535, was 2147483647"),
        row(
            "published host port 0",
            component(WEB, c -> c.ports(new PortMapping(null, 0, 8080))),
            "components[0].ports[0].host",
            "must be 1..65535, was 0"),
        row(
            "published container port 65536",
            component(WEB, c -> c.ports(new PortMapping(null, 8080, 65536))),
            "components[0].ports[0].container",
            "must be 1..65535, was 65536"),
        row(
            "published host port Integer.MIN_VALUE",
            component(WEB, c -> c.ports(new PortMapping(null, Integer.MIN_VALUE, 80))),
            "components[0].ports[0].host",
            "must be 1..65535, was -2147483648"),
        row(
            "published on IPv4 address 999.1.1.1",
            component(WEB, c -> c.ports(new PortMapping("999.1.1.1", 8080, 8080))),
            "components[0].ports[0].ip",
            "must be an IPv4 or IPv6 address, was \"999.1.1.1\""),
        row(
            "published on a host name instead of an address",
            component(WEB, c -> c.ports(new PortMapping("localhost", 8080, 8080))),
            "components[0].ports[0].ip",
            "must be an IPv4 or IPv6 address"),
        row(
            "published on a malformed IPv6 address",
            component(API, c -> c.ports(new PortMapping("2001:db8:::1", 9443, 9090))),
            "components[1].ports[0].ip",
            "must be an IPv4 or IPv6 address"),
        row(
            "published on an address that only a DNS lookup could resolve",
            component(API, c -> c.ports(new PortMapping(".::1", 9443, 9090))),
            "components[1].ports[0].ip",
            "must be an IPv4 or IPv6 address"),
        row(
            "memory -5",
            component(WEB, c -> c.memoryMb(-5)),
            "components[0].memory",
            "must be 1..1048576, was -5"),
        row(
            "memory Integer.MAX_VALUE",
            component(WEB, c -> c.memoryMb(Integer.MAX_VALUE)),
            "components[0].memory",
            "must be 1..1048576, was 2147483647"),
        row(
            "vcpus 100000",
            component(CACHE, c -> c.vcpus(100_000)),
            "components[2].vcpus",
            "must be 1..256, was 100000"),
        row(
            "vcpus -1",
            component(WEB, c -> c.vcpus(-1)),
            "components[0].vcpus",
            "must be 1..256, was -1"),
        row(
            "unikernel without memory",
            component(CACHE, c -> c.memoryMb(0)),
            "components[2].memory",
            "a unikernel needs memory > 0"));
  }

  private static Stream<Row> hostnames() {
    return Stream.of(
        row(
            "route without a hostname",
            component(WEB, c -> c.routes(new RouteSpec("https", 443, RouteMode.L7, null))),
            "components[0].routes[0].hostname",
            "the agent setting routes.default_domain is not set"),
        row(
            "uppercase hostname",
            component(
                WEB, c -> c.routes(new RouteSpec("https", 443, RouteMode.L7, "Shop.Example.com"))),
            "components[0].routes[0].hostname",
            "lowercase DNS name"),
        row(
            "hostname with an empty label",
            component(
                WEB, c -> c.routes(new RouteSpec("https", 443, RouteMode.L7, "shop..example.com"))),
            "components[0].routes[0].hostname",
            "lowercase DNS name"),
        row(
            "hostname with a label starting with '-'",
            component(
                WEB, c -> c.routes(new RouteSpec("https", 443, RouteMode.L7, "-shop.example.com"))),
            "components[0].routes[0].hostname",
            "lowercase DNS name"),
        row(
            "hostname with a trailing dot",
            component(
                WEB, c -> c.routes(new RouteSpec("https", 443, RouteMode.L7, "shop.example.com."))),
            "components[0].routes[0].hostname",
            "lowercase DNS name"),
        row(
            "hostname with a 64-character label",
            component(
                WEB,
                c -> c.routes(new RouteSpec("https", 443, RouteMode.L7, "s".repeat(64) + ".com"))),
            "components[0].routes[0].hostname",
            "lowercase DNS name"),
        row(
            "hostname with a URL scheme and port",
            component(
                WEB,
                c ->
                    c.routes(
                        new RouteSpec("https", 443, RouteMode.L7, "https://shop.example.com:443"))),
            "components[0].routes[0].hostname",
            "lowercase DNS name"),
        row(
            "wildcard alone",
            component(WEB, c -> c.routes(new RouteSpec("https", 443, RouteMode.L7, "*."))),
            "components[0].routes[0].hostname",
            "optionally starting with \"*.\""),
        row(
            "wildcard inside a hostname",
            component(
                WEB,
                c -> c.routes(new RouteSpec("https", 443, RouteMode.L7, "shop.*.example.com"))),
            "components[0].routes[0].hostname",
            "lowercase DNS name"),
        row(
            "route without a mode",
            component(WEB, c -> c.routes(new RouteSpec("https", 443, null, "shop.example.com"))),
            "components[0].routes[0].mode",
            "must be set"),
        row("node that is not a hostname", node("Node_1"), "node", "lowercase DNS name"),
        row("wildcard node", node("*.example.com"), "node", "lowercase DNS name"));
  }

  private static Stream<Row> volumes() {
    return Stream.of(
        row(
            "relative host path",
            component(WEB, c -> c.volumes(new VolumeMount("srv/static", "/data", true))),
            "components[0].volumes[0].host",
            "must be an absolute path, was \"srv/static\""),
        row(
            "relative container path",
            component(WEB, c -> c.volumes(new VolumeMount("/srv/static", "data", true))),
            "components[0].volumes[0].container",
            "must be an absolute path"),
        row(
            "host path climbing out with '../'",
            component(WEB, c -> c.volumes(new VolumeMount("/srv/shop/../../etc", "/data", false))),
            "components[0].volumes[0].host",
            "must not contain \"..\""),
        row(
            "host path ending in '..'",
            component(WEB, c -> c.volumes(new VolumeMount("/srv/..", "/data", false))),
            "components[0].volumes[0].host",
            "must not contain \"..\""),
        row(
            "container path climbing out with '../'",
            component(
                WEB, c -> c.volumes(new VolumeMount("/srv/static", "/data/../../proc/1", false))),
            "components[0].volumes[0].container",
            "must not contain \"..\""),
        row(
            "host path that is only '../'",
            component(WEB, c -> c.volumes(new VolumeMount("../", "/data", false))),
            "components[0].volumes[0].host",
            "must be an absolute path"),
        row(
            "host path smuggling a second mount with ':'",
            component(WEB, c -> c.volumes(new VolumeMount("/srv:/etc:rw", "/data", false))),
            "components[0].volumes[0].host",
            "must not contain ':'"),
        row(
            "empty container path",
            component(WEB, c -> c.volumes(new VolumeMount("/srv/static", "", false))),
            "components[0].volumes[0].container",
            "must not be empty"),
        row(
            "volume on a process",
            component(WORKER, c -> c.volumes(new VolumeMount("/srv/static", "/data", true))),
            "components[3].volumes",
            "only containers mount volumes"),
        row(
            "user on a process",
            component(WORKER, c -> c.user("1000")),
            "components[3].user",
            "a process runs as the agent's user; only containers set a user"),
        row(
            "unikernel port published on IPv6",
            component(CACHE, c -> c.ports(new PortMapping("::1", 8080, 80))),
            "components[2].ports[0].ip",
            "a unikernel's port is forwarded from an IPv4 address only, was \"::1\""));
  }

  private static Stream<Row> environment() {
    return Stream.of(
        row(
            "env name starting with a digit",
            component(WEB, c -> c.env("1BAD", "x")),
            "components[0].env[\"1BAD\"]",
            "must be identifiers ([A-Za-z_][A-Za-z0-9_]*), was \"1BAD\""),
        row(
            "env name with '-'",
            component(WEB, c -> c.env("A-B", "x")),
            "components[0].env[\"A-B\"]",
            "must be identifiers"),
        row(
            "env name with a space",
            component(WEB, c -> c.env("A B", "x")),
            "components[0].env[\"A B\"]",
            "must be identifiers"),
        row(
            "env name smuggling an assignment",
            component(WEB, c -> c.env("LD_PRELOAD=/tmp/x.so X", "x")),
            "components[0].env[\"LD_PRELOAD=/tmp/x.so X\"]",
            "must be identifiers"),
        row(
            "empty env name",
            component(WEB, c -> c.env("", "x")),
            "components[0].env[\"\"]",
            "must be identifiers"),
        row(
            "env value missing",
            component(WEB, c -> c.env("LOG_LEVEL", null)),
            "components[0].env[\"LOG_LEVEL\"]",
            "must not be null"),
        row(
            "PORT set by hand on a component with routes",
            component(WEB, c -> c.env("PORT", "8080")),
            "components[0].env[\"PORT\"]",
            "is set by Berth from the component's routes"),
        row(
            "PORT_<ROUTE> set by hand on a component with routes",
            component(API, c -> c.env("PORT_GRPC", "9090")),
            "components[1].env[\"PORT_GRPC\"]",
            "is set by Berth"));
  }

  /** A unikernel's env goes on its kernel command line: what Linux cannot carry is refused. */
  private static Stream<Row> kernelCommandLine() {
    String half = "x".repeat(1020);
    return Stream.of(
        row(
            "unikernel env value with a double quote",
            component(CACHE, c -> c.env("GREETING", "say \"hi\"")),
            "components[2].env[\"GREETING\"]",
            "kernel command line, which cannot carry a double quote"),
        row(
            "unikernel env value with a newline",
            component(CACHE, c -> c.env("GREETING", "a\nb")),
            "components[2].env[\"GREETING\"]",
            "kernel command line, which cannot carry"),
        row(
            "unikernel with 31 env variables",
            component(CACHE, c -> c.env(variables(31))),
            "components[2].env",
            "Linux passes at most 30 variables; were 31"),
        row(
            "unikernel with 29 env variables and a route, which adds PORT and PORT_<ROUTE>",
            component(
                CACHE,
                c ->
                    c.env(variables(29))
                        .routes(new RouteSpec("db", 6379, RouteMode.L4, "cache.example.com"))),
            "components[2].env",
            "were 31"),
        row(
            "unikernel kernel command line over 2047 bytes",
            component(CACHE, c -> c.env("A", half).env("B", half)),
            "components[2].cmd",
            "would be up to 2061 bytes, more than the 2047 Linux accepts"));
  }

  private static java.util.Map<String, String> variables(int count) {
    java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      env.put("V" + i, "1");
    }
    return env;
  }

  private static Stream<Row> labels() {
    return Stream.of(
        row(
            "label key under Berth's reserved prefix",
            component(WEB, c -> c.label("berth.service", "other")),
            "components[0].labels[\"berth.service\"]",
            "are Berth's own"),
        row(
            "label key forging a spec hash",
            component(WEB, c -> c.label("berth.spec-hash", "0")),
            "components[0].labels[\"berth.spec-hash\"]",
            "are Berth's own"),
        row(
            "uppercase label key",
            component(WEB, c -> c.label("Team", "shop")),
            "components[0].labels[\"Team\"]",
            "label keys must be"),
        row(
            "label key with '='",
            component(WEB, c -> c.label("team=a,berth.service", "x")),
            "components[0].labels[\"team=a,berth.service\"]",
            "label keys must be"),
        row(
            "label value over 256 characters",
            component(WEB, c -> c.label("team", "x".repeat(300))),
            "components[0].labels[\"team\"]",
            "must be at most 256 characters, was 300"),
        row(
            "service label key with a space",
            s -> s.withLabels(java.util.Map.of("bad key", "x")),
            "labels[\"bad key\"]",
            "label keys must be NAME or PREFIX/NAME"),
        row(
            "service label key under Berth's reserved prefix",
            s -> s.withLabels(java.util.Map.of("berth.tier", "x")),
            "labels[\"berth.tier\"]",
            "are Berth's own"),
        row(
            "service label key with an uppercase prefix",
            s -> s.withLabels(java.util.Map.of("Team.example/tier", "x")),
            "labels[\"Team.example/tier\"]",
            "label keys must be NAME or PREFIX/NAME"),
        row(
            "service label value over 63 characters",
            s -> s.withLabels(java.util.Map.of("tier", "x".repeat(64))),
            "labels[\"tier\"]",
            "label values must be 1-63 letters"),
        row(
            "empty service label value",
            s -> s.withLabels(java.util.Map.of("tier", "")),
            "labels[\"tier\"]",
            "label values must be 1-63 letters"));
  }

  private static Stream<Row> images() {
    String digestless = "registry.example:5000/team/app";
    return Stream.of(
        row(
            "image without a tag",
            component(WEB, c -> c.image("nginx")),
            "components[0].image",
            "needs an explicit tag (such as :1.4.2) or digest, was \"nginx\""),
        row(
            "image tagged :latest",
            component(WEB, c -> c.image("nginx:latest")),
            "components[0].image",
            "must not use the floating tag :latest"),
        row(
            "image from a registry with a port but no tag",
            component(WEB, c -> c.image(digestless)),
            "components[0].image",
            "needs an explicit tag"),
        row(
            "uppercase repository",
            component(WEB, c -> c.image("Nginx:1.0")),
            "components[0].image",
            "must be an image reference such as registry.example:5000/team/app:1.4.2"),
        row(
            "shell command after an image",
            component(WEB, c -> c.image("nginx:1.0 ; rm -rf /")),
            "components[0].image",
            "must be an image reference"),
        row(
            "tag without a repository",
            component(WEB, c -> c.image(":1.0")),
            "components[0].image",
            "must be an image reference"),
        row(
            "option '--privileged' as an image",
            component(WEB, c -> c.image("--privileged")),
            "components[0].image",
            "must be an image reference"),
        row(
            "empty tag",
            component(WEB, c -> c.image("nginx:")),
            "components[0].image",
            "must be an image reference"),
        row(
            "truncated digest",
            component(API, c -> c.image("shop/api@sha256:0123")),
            "components[1].image",
            "must be an image reference"),
        row(
            "newline in an image",
            component(WEB, c -> c.image("nginx:1.0\nnginx:latest")),
            "components[0].image",
            "was \"nginx:1.0\\nnginx:latest\""),
        row(
            "container without an image",
            component(WEB, c -> c.image(null)),
            "components[0].image",
            "must not be empty"),
        row(
            "unikernel from a relative file",
            component(CACHE, c -> c.image("images/cache.img")),
            "components[2].image",
            "needs an explicit tag"),
        row(
            "unikernel from a file path with '..'",
            component(CACHE, c -> c.image("/var/lib/berth/../../../root/cache.img")),
            "components[2].image",
            "must not contain \"..\""));
  }

  private static Stream<Row> workloads() {
    return Stream.of(
        row(
            "component without a runtime",
            component(WEB, c -> c.runtime(null)),
            "components[0].runtime",
            "must be set"),
        row(
            "process with an image",
            component(WORKER, c -> c.image("shop/worker:1.0")),
            "components[3].image",
            "process components run an executable, not an image"),
        row(
            "container with an executable",
            component(WEB, c -> c.executable("/bin/sh")),
            "components[0].executable",
            "only process components have an executable"),
        row(
            "unikernel with an executable",
            component(CACHE, c -> c.executable("/bin/sh")),
            "components[2].executable",
            "only process components have an executable"),
        row(
            "process without an executable",
            component(WORKER, c -> c.executable(null)),
            "components[3].executable",
            "must not be empty"),
        row(
            "option '--privileged' as an executable",
            component(WORKER, c -> c.executable("--privileged")),
            "components[3].executable",
            "must be an absolute path or a program name"),
        row(
            "shell command as an executable",
            component(WORKER, c -> c.executable("rm -rf /")),
            "components[3].executable",
            "must be an absolute path or a program name"),
        row(
            "relative executable './x'",
            component(WORKER, c -> c.executable("./x")),
            "components[3].executable",
            "not starting with '-'), was \"./x\""),
        row(
            "executable chaining a command",
            component(WORKER, c -> c.executable("worker;reboot")),
            "components[3].executable",
            "must be an absolute path or a program name"),
        row(
            "absolute executable climbing out with '..'",
            component(WORKER, c -> c.executable("/usr/local/bin/../../../bin/sh")),
            "components[3].executable",
            "must not contain \"..\""));
  }

  private static Stream<Row> probeTimings() {
    HealthProbe tcp = new HealthProbe(ProbeType.TCP, 8080, null, null);
    return Stream.of(
        row(
            "probe period of 50ms",
            component(WORKER, c -> c.health(tcp.withTiming(Duration.ofMillis(50), null, 3, null))),
            "components[3].health.period",
            "must be 100ms..1h, was 50ms"),
        row(
            "probe timeout longer than its period",
            component(
                WORKER,
                c ->
                    c.health(
                        tcp.withTiming(Duration.ofSeconds(1), Duration.ofSeconds(2), 3, null))),
            "components[3].health.timeout",
            "must be at most the period (1000ms): a probe ends before the next one, was 2000ms"),
        row(
            "probe timeout of 0",
            component(WORKER, c -> c.health(tcp.withTiming(null, Duration.ZERO, 3, null))),
            "components[3].health.timeout",
            "must be 10ms..1h, was 0ms"),
        row(
            "failure threshold of 0",
            component(WORKER, c -> c.health(tcp.withTiming(null, null, 0, null))),
            "components[3].health.failure_threshold",
            "must be 1..100, was 0"),
        row(
            "negative initial delay",
            component(WORKER, c -> c.health(tcp.withTiming(null, null, 3, Duration.ofSeconds(-1)))),
            "components[3].health.initial_delay",
            "must be 0ms..1h, was -1000ms"),
        row(
            "initial delay of 2h",
            component(WORKER, c -> c.health(tcp.withTiming(null, null, 3, Duration.ofHours(2)))),
            "components[3].health.initial_delay",
            "must be 0ms..1h, was 7200000ms"));
  }

  private static Stream<Row> updates() {
    UpdatePolicy beside = UpdatePolicy.of(UpdateStrategy.BESIDE);
    return Stream.of(
        row(
            "beside with explicit published ports",
            component(WEB, c -> c.update(beside)),
            "components[0].update.strategy",
            "cannot run two workloads that publish the same ports"),
        row(
            "beside without a route",
            component(WORKER, c -> c.update(beside)),
            "components[3].update.strategy",
            "\"beside\" needs a route"),
        row(
            "beside with a health probe aimed at a port",
            component(API, c -> c.ports(List.of()).update(beside)),
            "components[1].update.strategy",
            "health names a port"),
        row(
            "update deadline of 500ms",
            component(
                WORKER, c -> c.update(new UpdatePolicy(null, Duration.ofMillis(500), null, false))),
            "components[3].update.deadline",
            "must be 1s..1h, was 500ms"),
        row(
            "update deadline of 2h",
            component(
                WORKER, c -> c.update(new UpdatePolicy(null, Duration.ofHours(2), null, false))),
            "components[3].update.deadline",
            "must be 1s..1h, was 7200000ms"),
        row(
            "update drain of 11m",
            component(
                WORKER, c -> c.update(new UpdatePolicy(null, null, Duration.ofMinutes(11), false))),
            "components[3].update.drain",
            "must be 0s..10m, was 660000ms"));
  }

  private static Stream<Row> health() {
    return Stream.of(
        row(
            "probe naming a route the component does not have",
            component(WEB, c -> c.health(new HealthProbe(ProbeType.HTTP, 0, "admin", "/healthz"))),
            "components[0].health.route",
            "names no route of this component: \"admin\""),
        row(
            "http probe without a path",
            component(WEB, c -> c.health(new HealthProbe(ProbeType.HTTP, 0, "https", null))),
            "components[0].health.path",
            "an http probe needs a path starting with '/'"),
        row(
            "http probe with a relative path",
            component(WEB, c -> c.health(new HealthProbe(ProbeType.HTTP, 0, "https", "healthz"))),
            "components[0].health.path",
            "starting with '/'"),
        row(
            "http probe path with a newline",
            component(
                WEB,
                c -> c.health(new HealthProbe(ProbeType.HTTP, 0, "https", "/healthz\nHost: x"))),
            "components[0].health.path",
            "must not contain control characters"),
        row(
            "probe naming both a port and a route",
            component(WEB, c -> c.health(new HealthProbe(ProbeType.TCP, 8080, "https", null))),
            "components[0].health",
            "must name exactly one of port and route"),
        row(
            "probe naming neither a port nor a route",
            component(CACHE, c -> c.health(new HealthProbe(ProbeType.TCP, 0, null, null))),
            "components[2].health",
            "must name exactly one of port and route"),
        row(
            "probe port 70000",
            component(API, c -> c.health(new HealthProbe(ProbeType.GRPC, 70_000, null, null))),
            "components[1].health.port",
            "must be 1..65535, was 70000"),
        row(
            "probe without a type",
            component(CACHE, c -> c.health(new HealthProbe(null, 6379, null, null))),
            "components[2].health.type",
            "must be set"));
  }

  private static Stream<Row> serviceFields() {
    List<ComponentSpec> tooMany =
        Collections.nCopies(SpecValidator.MAX_COMPONENTS + 1, Specs.worker());
    return Stream.of(
        row(
            "service without components",
            s -> s.withComponents(List.of()),
            "components",
            "a service needs at least one component"),
        row(
            "service with 65 components",
            s -> s.withComponents(tooMany),
            "components",
            "at most 64 components, was 65"),
        row(
            "component with 65 routes",
            component(
                WEB,
                c ->
                    c.routes(
                        Stream.iterate(1, i -> i + 1)
                            .limit(SpecValidator.MAX_ROUTES + 1)
                            .map(
                                i ->
                                    new RouteSpec("r" + i, 443, RouteMode.L7, "r" + i + ".example"))
                            .toArray(RouteSpec[]::new))),
            "components[0].routes",
            "at most 64 routes, was 65"),
        row(
            "empty user",
            component(WEB, c -> c.user("")),
            "components[0].user",
            "must be user[:group] or uid[:gid]"),
        row(
            "user with three parts",
            component(WEB, c -> c.user("1000:1000:1000")),
            "components[0].user",
            "must be user[:group] or uid[:gid]"),
        row(
            "second route on port 65536",
            component(
                WEB, c -> c.routes(WEB_HTTPS, new RouteSpec("admin", 65_536, RouteMode.L7, "a.b"))),
            "components[0].routes[1].port",
            "must be 1..65535, was 65536"),
        row(
            "a component typed as a process but built as a container",
            component(WEB, c -> c.runtime(RuntimeKind.PROCESS)),
            "components[0].executable",
            "must not be empty"));
  }
}
