package dev.berth.store.file;

import static dev.berth.store.file.PredecessorFormatTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.HealthProbe;
import dev.berth.spec.model.ProbeType;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.SecretRef;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.model.UpdatePolicy;
import dev.berth.spec.model.UpdateStrategy;
import dev.berth.spec.validation.ValidationPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Berth's own keys extend the predecessor's format. */
class BerthExtensionsTest {

  @Test
  void aProcessComponentRunsAnExecutable() {
    ComponentSpec worker =
        component(
            """
            name = "worker"
            runtime = "process"
            executable = "/usr/bin/java"
            cmd = ["-jar", "/opt/worker.jar"]
            """);

    assertThat(worker.runtime()).isEqualTo(RuntimeKind.PROCESS);
    assertThat(worker.executable()).isEqualTo("/usr/bin/java");
    assertThat(worker.image()).isNull();
    assertThat(worker.cmd()).containsExactly("-jar", "/opt/worker.jar");
  }

  @Test
  void aUnikernelComponentHasMemoryAndVcpus() {
    ComponentSpec vm =
        component(
            """
            name = "vm"
            runtime = "unikernel"
            image = "/var/lib/berth/images/app.img"
            memory = 256
            vcpus = 2
            """);

    assertThat(vm.runtime()).isEqualTo(RuntimeKind.UNIKERNEL);
    assertThat(vm.memoryMb()).isEqualTo(256);
    assertThat(vm.vcpus()).isEqualTo(2);
  }

  @Test
  void aHealthProbeMayNameARoute() {
    ComponentSpec app =
        component(
            """
            name = "app"
            image = "example.net/app:1.0"
            [[components.routes]]
            name = "https"
            port = 443
            mode = "l7"
            hostname = "app.example.net"
            [components.health]
            type = "http"
            route = "https"
            path = "/healthz"
            """);

    assertThat(app.health()).isEqualTo(new HealthProbe(ProbeType.HTTP, 0, "https", "/healthz"));
  }

  @Test
  void aHealthProbeMayNameAPort() {
    ComponentSpec app =
        component(
            """
            name = "app"
            image = "example.net/app:1.0"
            [components.health]
            type = "grpc"
            port = 9090
            """);

    assertThat(app.health()).isEqualTo(new HealthProbe(ProbeType.GRPC, 9090, null, null));
  }

  @Test
  void secretsNameAVariableAndAFileInDeclarationOrder() {
    ComponentSpec app =
        component(
            """
            name = "app"
            image = "example.net/app:1.0"
            [[components.secrets]]
            name = "DB_PASSWORD"
            file = "db-password"
            [[components.secrets]]
            name = "API_KEY"
            file = "api-key"
            """);

    assertThat(app.secrets())
        .containsExactly(
            new SecretRef("DB_PASSWORD", "db-password"), new SecretRef("API_KEY", "api-key"));
  }

  @Test
  void labelsAreATableKeptInFileOrder() {
    ComponentSpec app =
        component(
            """
            name = "app"
            image = "example.net/app:1.0"
            [components.labels]
            tier = "edge"
            "team/owner" = "platform"
            """);

    assertThat(app.labels())
        .containsExactly(Map.entry("tier", "edge"), Map.entry("team/owner", "platform"));
  }

  @Test
  void aServicesLabelsAreItsTopLevelLabelsTableKeptInFileOrder() {
    ServiceSpec spec =
        parse(
            """
            name = "web"
            [labels]
            tier = "web"
            "team.example.net/owner" = "shop"
            [[components]]
            name = "app"
            image = "example.net/app:1.0"
            """);

    assertThat(spec.labels())
        .containsExactly(Map.entry("tier", "web"), Map.entry("team.example.net/owner", "shop"));
    assertThat(spec.components().get(0).labels()).isEmpty();
  }

  @Test
  void aBadServiceLabelIsAnErrorNamingItsKey() {
    assertThat(
            errors(
                """
                name = "web"
                labels = { "bad key" = "x" }
                [[components]]
                name = "app"
                image = "example.net/app:1.0"
                """))
        .singleElement()
        .asString()
        .contains("labels[\"bad key\"]: label keys must be NAME or PREFIX/NAME");
    assertThat(
            errors(
                """
                name = "web"
                labels = { tier = 3 }
                [[components]]
                name = "app"
                image = "example.net/app:1.0"
                """))
        .singleElement()
        .asString()
        .contains("labels[\"tier\"]: must be a string");
  }

  @Test
  void envMayBeATableKeptInFileOrder() {
    ComponentSpec app =
        component(
            """
            name = "app"
            image = "example.net/app:1.0"
            [components.env]
            ZED = "first"
            ALPHA = "a=b"
            """);

    assertThat(app.env()).containsExactly(Map.entry("ZED", "first"), Map.entry("ALPHA", "a=b"));
  }

  @Test
  void stateAndCommentDescribeTheService() {
    ServiceSpec spec =
        parse(
            """
            name = "web"
            state = "stopped"
            comment = "parked until the migration is done"
            [[components]]
            name = "app"
            image = "example.net/app:1.0"
            """);

    assertThat(spec.desiredState()).isEqualTo(DesiredState.STOPPED);
    assertThat(spec.comment()).isEqualTo("parked until the migration is done");
  }

  @ParameterizedTest(name = "active = {0} and state = \"{1}\" agree")
  @CsvSource({"true, running", "false, stopped"})
  void activeAndStateMayBothBeGivenWhenTheyAgree(boolean active, String state) {
    ServiceSpec spec =
        parse(
            """
            name = "web"
            active = %s
            state = "%s"
            [[components]]
            name = "app"
            image = "example.net/app:1.0"
            """
                .formatted(active, state));

    assertThat(spec.desiredState().wire()).isEqualTo(state);
  }

  @ParameterizedTest(name = "active = {0} and state = \"{1}\" contradict")
  @CsvSource({"true, stopped", "false, running"})
  void activeAndStateThatContradictAreAnError(boolean active, String state) {
    LoadResult result =
        ServiceFiles.read(
            """
            name = "web"
            active = %s
            state = "%s"
            [[components]]
            name = "app"
            image = "example.net/app:1.0"
            """
                .formatted(active, state),
            "web.toml",
            "test",
            ValidationPolicy.STRICT);

    assertThat(result.errors())
        .singleElement()
        .hasToString(
            "web.toml: state: \""
                + state
                + "\" contradicts active = "
                + active
                + "; keep one of the two (active = false means \"stopped\")");
  }

  @Test
  void anUpdateTableSetsEverySetting() {
    ComponentSpec app =
        component(
            """
            name = "app"
            image = "example.net/app:1.0"
            [[components.routes]]
            port = 443
            hostname = "app.example.net"
            [components.update]
            strategy = "beside"
            deadline = "2m"
            drain = "500ms"
            auto_revert = true
            """);

    assertThat(app.update())
        .isEqualTo(
            new UpdatePolicy(
                UpdateStrategy.BESIDE, Duration.ofMinutes(2), Duration.ofMillis(500), true));
  }

  @Test
  void aDrainOfZeroStopsTheOldWorkloadAsSoonAsTheProxySwitched() {
    ComponentSpec app =
        component(
            """
            name = "app"
            image = "example.net/app:1.0"
            [[components.routes]]
            port = 443
            hostname = "app.example.net"
            [components.update]
            drain = "0s"
            """);

    assertThat(app.update().drain()).isZero();
  }

  @Test
  void anUpdateStringIsTheStrategyWithEverythingElseAtItsDefault() {
    ComponentSpec app =
        component(
            """
            name = "app"
            image = "example.net/app:1.0"
            update = "recreate"
            """);

    assertThat(app.update()).isEqualTo(UpdatePolicy.of(UpdateStrategy.RECREATE));
  }

  @Test
  void withoutUpdateSettingsTheDefaultsHold() {
    ComponentSpec app =
        component(
            """
            name = "app"
            image = "example.net/app:1.0"
            """);

    assertThat(app.update()).isEqualTo(UpdatePolicy.DEFAULTS);
  }

  @Test
  void badUpdateSettingsAreErrorsNamingTheirFields() {
    assertThat(
            errors(
                """
                name = "web"
                [[components]]
                name = "app"
                image = "example.net/app:1.0"
                ports = ["8080:8080"]
                [[components.routes]]
                port = 443
                hostname = "app.example.net"
                [components.update]
                strategy = "sideways"
                deadline = "soon"
                drain = "20m"
                rollback = true
                """))
        .anySatisfy(e -> assertThat(e).contains("components[0].update.strategy: must be one of"))
        .anySatisfy(
            e -> assertThat(e).contains("components[0].update.deadline: must be a duration"))
        .anySatisfy(e -> assertThat(e).contains("components[0].update.rollback: unknown key"));
    assertThat(
            errors(
                """
                name = "web"
                [[components]]
                name = "app"
                image = "example.net/app:1.0"
                ports = ["8080:8080"]
                update = "beside"
                [[components.routes]]
                port = 443
                hostname = "app.example.net"
                [components.health]
                type = "tcp"
                route = "default"
                """))
        .singleElement()
        .asString()
        .contains("components[0].update.strategy: \"beside\" cannot run two workloads");
    assertThat(
            errors(
                """
                name = "web"
                [[components]]
                name = "app"
                image = "example.net/app:1.0"
                update = { drain = "20m" }
                """))
        .singleElement()
        .asString()
        .contains("components[0].update.drain: must be 0s..10m");
  }

  @Test
  void aHealthTableSetsLivenessAndTiming() {
    ComponentSpec app =
        component(
            """
            name = "app"
            image = "example.net/app:1.0"
            [components.health]
            type = "http"
            port = 8080
            path = "/healthz"
            liveness = true
            period = "5s"
            timeout = "500ms"
            failure_threshold = 2
            initial_delay = "30s"
            """);

    assertThat(app.health())
        .isEqualTo(
            new HealthProbe(
                ProbeType.HTTP,
                8080,
                null,
                "/healthz",
                true,
                Duration.ofSeconds(5),
                Duration.ofMillis(500),
                2,
                Duration.ofSeconds(30)));
  }

  @Test
  void aHealthTableWithoutTimingHasKubeletsDefaults() {
    ComponentSpec app =
        component(
            """
            name = "app"
            image = "example.net/app:1.0"
            [components.health]
            type = "tcp"
            port = 8080
            """);

    assertThat(app.health())
        .isEqualTo(
            new HealthProbe(
                ProbeType.TCP,
                8080,
                null,
                null,
                false,
                Duration.ofSeconds(10),
                Duration.ofSeconds(1),
                3,
                Duration.ZERO));
  }

  @Test
  void badProbeTimingIsAnErrorNamingItsField() {
    assertThat(
            errors(
                """
                name = "web"
                [[components]]
                name = "app"
                image = "example.net/app:1.0"
                [components.health]
                type = "tcp"
                port = 8080
                liveness = "yes"
                period = "soon"
                initial_delay = "-1s"
                """))
        .anySatisfy(e -> assertThat(e).contains("components[0].health.liveness: must be"))
        .anySatisfy(e -> assertThat(e).contains("components[0].health.period: must be a duration"))
        .anySatisfy(
            e -> assertThat(e).contains("components[0].health.initial_delay: must be a duration"));
    assertThat(
            errors(
                """
                name = "web"
                [[components]]
                name = "app"
                image = "example.net/app:1.0"
                [components.health]
                type = "tcp"
                port = 8080
                period = "1s"
                timeout = "2s"
                failure_threshold = 0
                """))
        .anySatisfy(
            e ->
                assertThat(e)
                    .contains("components[0].health.timeout: must be at most the period (1000ms)"))
        .anySatisfy(
            e -> assertThat(e).contains("components[0].health.failure_threshold: must be 1..100"));
  }

  private static ComponentSpec component(String componentBody) {
    ServiceSpec spec = parse("name = \"web\"\n[[components]]\n" + componentBody);
    assertThat(spec.components()).hasSize(1);
    return spec.components().get(0);
  }

  static List<String> errors(String toml) {
    return ServiceFiles.read(toml, "web.toml", "test", ValidationPolicy.STRICT).errors().stream()
        .map(FileError::toString)
        .toList();
  }
}
