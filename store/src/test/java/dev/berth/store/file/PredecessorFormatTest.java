package dev.berth.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.PortMapping;
import dev.berth.spec.model.RestartPolicy;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.model.VolumeMount;
import dev.berth.spec.validation.DefaultDomain;
import dev.berth.spec.validation.ValidationPolicy;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The predecessor's files load as they are, with Berth's meaning. */
class PredecessorFormatTest {

  private static final Path WEB = resource("files/predecessor/web.toml");

  private static final String L7_WITHOUT_HOSTNAME =
      """
      name = "web"
      [[components]]
      name = "app"
      image = "example.net/app:1.0"
      [[components.routes]]
      port = 443
      mode = "l7"
      """;

  @Test
  void aCompletePredecessorFileLoadsAsItIs() {
    LoadResult result = ServiceFiles.load(WEB, ValidationPolicy.STRICT);

    assertThat(result.errors()).isEmpty();
    assertThat(result.specs()).containsExactly(expectedWeb());
  }

  @Test
  void itsServiceCarriesTheFileAndTheFileAsSource() {
    LoadedService web = ServiceFiles.load(WEB, ValidationPolicy.STRICT).services().get(0);

    assertThat(web.file()).isEqualTo("web.toml");
    assertThat(web.source()).isEqualTo("file:" + WEB.toAbsolutePath().normalize());
  }

  @Test
  void buildImagesAndPathAreIgnoredWithANoteEach() {
    LoadResult result = ServiceFiles.load(WEB, ValidationPolicy.STRICT);

    assertThat(result.notes())
        .containsExactly(
            "web.toml: path \"/srv/src/web\" is ignored: it is where sources were built from,"
                + " and Berth does not build",
            "web.toml: [build.images] is ignored: Berth runs images, it does not build them");
  }

  @Test
  void anEmptyBuildTableIsIgnoredWithANoteToo() {
    LoadResult result =
        ServiceFiles.read(
            """
            name = "web"
            [build]
            [[components]]
            name = "app"
            image = "example.net/app:1.0"
            """,
            "web.toml",
            "test",
            ValidationPolicy.STRICT);

    assertThat(result.errors()).isEmpty();
    assertThat(result.notes())
        .containsExactly("web.toml: [build] is ignored: Berth runs images, it does not build them");
  }

  @Test
  void envAsAnArrayKeepsItsOrderAndSplitsAtTheFirstEqualsSign() {
    ServiceSpec spec =
        parse(
            """
            name = "web"
            [[components]]
            name = "app"
            image = "example.net/app:1.0"
            env = ["B=2", "A=x=y", "EMPTY="]
            """);

    assertThat(spec.components().get(0).env())
        .containsExactly(Map.entry("B", "2"), Map.entry("A", "x=y"), Map.entry("EMPTY", ""));
  }

  @Test
  void activeFalseMeansStopped() {
    ServiceSpec spec =
        parse(
            """
            name = "web"
            active = false
            [[components]]
            name = "app"
            image = "example.net/app:1.0"
            """);

    assertThat(spec.desiredState()).isEqualTo(DesiredState.STOPPED);
  }

  @Test
  void aServiceWithoutActiveRuns() {
    ServiceSpec spec =
        parse(
            """
            name = "web"
            [[components]]
            name = "app"
            image = "example.net/app:1.0"
            """);

    assertThat(spec.desiredState()).isEqualTo(DesiredState.RUNNING);
    assertThat(spec.components().get(0).runtime()).isEqualTo(RuntimeKind.CONTAINER);
  }

  @Test
  void aVolumeMayNameTheDefaultRwExplicitly() {
    ServiceSpec spec =
        parse(
            """
            name = "web"
            [[components]]
            name = "app"
            image = "example.net/app:1.0"
            volumes = ["/srv/data:/data:rw"]
            """);

    assertThat(spec.components().get(0).volumes())
        .containsExactly(new VolumeMount("/srv/data", "/data", false));
  }

  @Test
  void aServiceIsNamedByItsNameKeyNeverByItsFileOrByPartsOfItsName() {
    ServiceSpec spec =
        ServiceFiles.parse(
            """
            name = "mc-proxy"
            [[components]]
            name = "mc"
            image = "example.net/proxy:1.0"
            """,
            "minecraft.toml",
            ValidationPolicy.STRICT);

    assertThat(spec.name()).isEqualTo("mc-proxy");
    assertThat(spec.components()).extracting(ComponentSpec::name).containsExactly("mc");
  }

  @Test
  void aRouteWithoutNameModeOrHostnameIsTheDefaultL4RouteOwningItsPort() {
    ServiceSpec spec =
        parse(
            """
            name = "minecraft"
            [[components]]
            name = "server"
            image = "example.net/minecraft:1.20"
            [[components.routes]]
            port = 25565
            """);

    assertThat(spec.components().get(0).routes())
        .containsExactly(new RouteSpec("default", 25565, RouteMode.L4, null));
  }

  @Test
  void twoRoutesWithoutHostnameOnOnePortAreRefusedWithTheFieldPath() {
    LoadResult result =
        ServiceFiles.read(
            """
            name = "tunnel"
            [[components]]
            name = "a"
            image = "example.net/a:1.0"
            [[components.routes]]
            port = 7000
            [[components]]
            name = "b"
            image = "example.net/b:1.0"
            [[components.routes]]
            port = 7000
            """,
            "tunnel.toml",
            "test",
            ValidationPolicy.STRICT);

    assertThat(result.errors())
        .extracting(FileError::toString)
        .containsExactly(
            "tunnel.toml: components[1].routes[0].hostname: listener port 7000 without a"
                + " hostname takes the whole port, and components[0].routes[0] claims it already");
  }

  @Test
  void anL7RouteWithoutHostnameNeedsTheAgentsDefaultDomain() {
    LoadResult result =
        ServiceFiles.read(L7_WITHOUT_HOSTNAME, "web.toml", "test", ValidationPolicy.STRICT);

    assertThat(result.errors())
        .extracting(FileError::toString)
        .containsExactly(
            "web.toml: components[0].routes[0].hostname: an l7 route without a hostname is"
                + " served at web.<routes.default_domain>, and the agent setting"
                + " routes.default_domain is not set; set it, or give the route a hostname");
  }

  @Test
  void offlineAnL7RouteWithoutHostnameIsAcceptedWithANote() {
    LoadResult result =
        ServiceFiles.read(
            L7_WITHOUT_HOSTNAME,
            "web.toml",
            "test",
            ValidationPolicy.STRICT.withDefaultDomain(DefaultDomain.UNKNOWN));

    assertThat(result.errors()).isEmpty();
    assertThat(result.notes())
        .containsExactly(
            "web.toml: components[0].routes[0] has no hostname: it is served at"
                + " web.<routes.default_domain>, and an agent without routes.default_domain"
                + " refuses it");
  }

  @Test
  void withTheAgentsDefaultDomainAnL7RouteWithoutHostnameIsValid() {
    LoadResult result =
        ServiceFiles.read(
            L7_WITHOUT_HOSTNAME,
            "web.toml",
            "test",
            ValidationPolicy.STRICT.withDefaultDomain(DefaultDomain.of("example.net")));

    assertThat(result.errors()).isEmpty();
    assertThat(result.notes()).isEmpty();
  }

  private static ServiceSpec expectedWeb() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("LOG_LEVEL", "info");
    env.put("DATABASE_URL", "postgres://db/web?sslmode=disable");
    ComponentSpec app =
        new ComponentSpec(
            "app",
            RuntimeKind.CONTAINER,
            "registry.example.net:5000/team/web:1.4.2",
            null,
            List.of("--listen", "0.0.0.0:8080", "--log-format=json"),
            env,
            List.of(
                new VolumeMount("/srv/web/data", "/data", false),
                new VolumeMount("/etc/web/app.yml", "/etc/app/app.yml", true)),
            List.of(new PortMapping("127.0.0.1", 9090, 9090)),
            "web-net",
            "1000:1000",
            RestartPolicy.ALWAYS,
            0,
            0,
            List.of(
                new RouteSpec("https", 443, RouteMode.L7, "web.example.net"),
                new RouteSpec("grpc", 8443, RouteMode.L4, "grpc.example.net")),
            null,
            null);
    ComponentSpec cache =
        new ComponentSpec(
            "cache",
            RuntimeKind.CONTAINER,
            "docker.io/library/redis:7.2.4",
            null,
            null,
            null,
            null,
            List.of(new PortMapping("::1", 6379, 6379), new PortMapping(null, 16379, 6379)),
            null,
            null,
            RestartPolicy.ON_FAILURE,
            0,
            0,
            null,
            null,
            null);
    return new ServiceSpec(
        "web", "node-1.example.net", DesiredState.RUNNING, null, List.of(app, cache));
  }

  static ServiceSpec parse(String toml) {
    return ServiceFiles.parse(toml, "web.toml", ValidationPolicy.STRICT);
  }

  static Path resource(String name) {
    try {
      return Path.of(PredecessorFormatTest.class.getClassLoader().getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
