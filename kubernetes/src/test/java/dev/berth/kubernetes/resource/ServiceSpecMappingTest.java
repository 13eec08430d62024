package dev.berth.kubernetes.resource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.DurationSyntax;
import dev.berth.spec.model.HealthProbe;
import dev.berth.spec.model.PortMapping;
import dev.berth.spec.model.ProbeType;
import dev.berth.spec.model.RestartPolicy;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.model.UpdatePolicy;
import dev.berth.spec.model.UpdateStrategy;
import dev.berth.spec.model.VolumeMount;
import dev.berth.spec.validation.SpecValidator;
import dev.berth.spec.validation.Violation;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceSpecMappingTest {

  /** Every key, most away from its default, in the shape of docs/service-definitions.md. */
  static final ServiceSpec WEB =
      new ServiceSpec(
          "web",
          "node-1.example.net",
          DesiredState.STOPPED,
          "The public site",
          List.of(
              ComponentSpec.builder("app", RuntimeKind.CONTAINER)
                  .image("registry.example.net:5000/team/web:1.4.2")
                  .cmd("--listen", "0.0.0.0:8080")
                  .env("LOG_LEVEL", "info")
                  .env("GREETING", "hello=world")
                  .env("EMPTY", "")
                  .volumes(
                      new VolumeMount("/srv/web/data", "/data", false),
                      new VolumeMount("/etc/web/app.yml", "/etc/app/app.yml", true))
                  .ports(new PortMapping("127.0.0.1", 9090, 9090), new PortMapping(null, 81, 80))
                  .network("web-net")
                  .user("1000:1000")
                  .restart(RestartPolicy.ALWAYS)
                  .memoryMb(512)
                  .vcpus(2)
                  .routes(
                      new RouteSpec("https", 443, RouteMode.L7, "web.example.net"),
                      new RouteSpec("mqtt", 8883, RouteMode.L4, "*.mqtt.example.net"))
                  .health(
                      new HealthProbe(ProbeType.HTTP, 0, "https", "/healthz")
                          .withLiveness(true)
                          .withTiming(
                              Duration.ofSeconds(5),
                              Duration.ofMillis(500),
                              4,
                              Duration.ofSeconds(90)))
                  .update(
                      new UpdatePolicy(
                          UpdateStrategy.RECREATE,
                          Duration.ofMinutes(2),
                          Duration.ofSeconds(10),
                          true))
                  .label("team", "platform")
                  .label("example.net/tier", "edge")
                  .build(),
              ComponentSpec.builder("worker", RuntimeKind.PROCESS)
                  .executable("/usr/bin/java")
                  .cmd("-jar", "/opt/web/worker.jar")
                  .restart(RestartPolicy.ON_FAILURE)
                  .env("QUEUE", "jobs")
                  .env("BATCH", "50")
                  .health(new HealthProbe(ProbeType.GRPC, 9095, null, ""))
                  .build(),
              ComponentSpec.builder("resizer", RuntimeKind.UNIKERNEL)
                  .image("/var/lib/berth/images/resizer.img")
                  .memoryMb(128)
                  .vcpus(1)
                  .health(new HealthProbe(ProbeType.TCP, 8081, null, null))
                  .build()));

  @Test
  void aServiceComesBackFromItsResourceWithEveryKeyAndTheEnvInOrder() {
    ServiceSpec back =
        ServiceSpecMapping.toServiceSpec("web", ServiceSpecMapping.fromServiceSpec(WEB)).spec();

    assertThat(back).isEqualTo(WEB);
    assertThat(back.components().get(0).env().keySet())
        .containsExactly("LOG_LEVEL", "GREETING", "EMPTY");
  }

  @Test
  void aServiceComesBackFromTheYamlOfItsResource() {
    String yaml = Serialization.asYaml(ServiceSpecMapping.toResource(WEB));

    BerthService read = Serialization.unmarshal(yaml, BerthService.class);

    assertThat(ServiceSpecMapping.toServiceSpec(read).spec()).isEqualTo(WEB);
    assertThat(read.getSpec().components().get(0).env())
        .extracting(BerthServiceSpec.Variable::name)
        .containsExactly("LOG_LEVEL", "GREETING", "EMPTY");
  }

  @Test
  void aServicesLabelsAreItsResourcesMetadataLabels() {
    ServiceSpec labelled = WEB.withLabels(Map.of("tier", "web", "team.example.net/owner", "shop"));

    BerthService resource = ServiceSpecMapping.toResource(labelled);

    assertThat(resource.getMetadata().getLabels())
        .isEqualTo(Map.of("tier", "web", "team.example.net/owner", "shop"));
    assertThat(ServiceSpecMapping.toResource(WEB).getMetadata().getLabels()).isNullOrEmpty();
  }

  @Test
  void aResourceWrittenByHandReadsAsTheServiceItDeclares() {
    String yaml =
        """
        apiVersion: berth.dev/v1alpha1
        kind: BerthService
        metadata:
          name: shop
          namespace: apps
        spec:
          components:
          - name: web
            image: registry.example.net/shop:2.0
            restart: always
            env:
            - name: B
              value: "2"
            - name: A
              value: "1"
            routes:
            - port: 443
              mode: l7
              hostname: shop.example.net
        """;

    ServiceSpec spec =
        ServiceSpecMapping.toServiceSpec(Serialization.unmarshal(yaml, BerthService.class)).spec();

    assertThat(spec)
        .isEqualTo(
            ServiceSpec.of(
                "shop",
                ComponentSpec.builder("web", RuntimeKind.CONTAINER)
                    .image("registry.example.net/shop:2.0")
                    .restart(RestartPolicy.ALWAYS)
                    .env("B", "2")
                    .env("A", "1")
                    .routes(new RouteSpec("default", 443, RouteMode.L7, "shop.example.net"))
                    .build()));
    assertThat(spec.components().get(0).env().keySet()).containsExactly("B", "A");
  }

  @Test
  void absentKeysTakeTheFilesDefaults() {
    BerthServiceSpec spec =
        new BerthServiceSpec(
            null,
            null,
            null,
            List.of(
                new BerthServiceSpec.Component(
                    "app",
                    null,
                    "example.net/app:1",
                    null,
                    null,
                    null,
                    null,
                    List.of(new BerthServiceSpec.PublishedPort(null, null, null)),
                    null,
                    null,
                    null,
                    null,
                    null,
                    List.of(new BerthServiceSpec.Route(null, 443, null, null)),
                    new BerthServiceSpec.Health("tcp", null, "default", null),
                    null)));

    ServiceSpec service = ServiceSpecMapping.toServiceSpec("app", spec).spec();

    ComponentSpec component = service.components().get(0);
    assertThat(service.desiredState()).isEqualTo(DesiredState.RUNNING);
    assertThat(component.runtime()).isEqualTo(RuntimeKind.CONTAINER);
    assertThat(component.restart()).isEqualTo(RestartPolicy.NO);
    assertThat(component.routes())
        .containsExactly(new RouteSpec("default", 443, RouteMode.L4, null));
    assertThat(component.ports()).containsExactly(new PortMapping(null, 0, 0));
    assertThat(component.health()).isEqualTo(new HealthProbe(ProbeType.TCP, 0, "default", null));
    assertThat(component.memoryMb()).isZero();
  }

  @Test
  void keysAtTheFilesDefaultsAreLeftOutOfTheResource() {
    BerthServiceSpec spec =
        ServiceSpecMapping.fromServiceSpec(
            ServiceSpec.of("app", ComponentSpec.container("app", "example.net/app:1")));

    assertThat(Serialization.asYaml(spec))
        .isEqualTo(
            """
            ---
            components:
            - name: "app"
              image: "example.net/app:1"
            """);
  }

  @Test
  void healthTimingAndUpdateAreWrittenAsAFileWritesThem() {
    BerthServiceSpec.Component app = ServiceSpecMapping.fromServiceSpec(WEB).components().get(0);

    assertThat(app.health())
        .isEqualTo(
            new BerthServiceSpec.Health(
                "http", null, "https", "/healthz", true, "5s", "500ms", 4, "90s"));
    assertThat(app.update()).isEqualTo(new BerthServiceSpec.Update("recreate", "2m", "10s", true));
    assertThat(Serialization.asYaml(app.update()))
        .contains("auto_revert: true")
        .doesNotContain("autoRevert");
    assertThat(Serialization.asYaml(app.health()))
        .contains("failure_threshold: 4", "initial_delay: \"90s\"");
  }

  @Test
  void aResourceWrittenByHandReadsItsProbeTimingAndUpdate() {
    String yaml =
        """
        apiVersion: berth.dev/v1alpha1
        kind: BerthService
        metadata:
          name: shop
        spec:
          components:
          - name: web
            image: registry.example.net/shop:2.0
            routes:
            - port: 443
            health:
              type: tcp
              route: default
              liveness: true
              period: 2s
              failure_threshold: 6
              initial_delay: 1m30s
            update:
              strategy: beside
              drain: 0s
        """;

    ComponentSpec web =
        ServiceSpecMapping.toServiceSpec(Serialization.unmarshal(yaml, BerthService.class))
            .spec()
            .components()
            .get(0);

    assertThat(web.health())
        .isEqualTo(
            new HealthProbe(ProbeType.TCP, 0, "default", null)
                .withLiveness(true)
                .withTiming(
                    Duration.ofSeconds(2), HealthProbe.DEFAULT_TIMEOUT, 6, Duration.ofSeconds(90)));
    assertThat(web.update())
        .isEqualTo(
            new UpdatePolicy(
                UpdateStrategy.BESIDE, UpdatePolicy.DEFAULT_DEADLINE, Duration.ZERO, false));
  }

  @Test
  void absentProbeTimingAndUpdateAreTheFilesDefaultsAndLeftOutAgain() {
    ComponentSpec component =
        ComponentSpec.builder("app", RuntimeKind.CONTAINER)
            .image("example.net/app:1")
            .routes(new RouteSpec("default", 443, RouteMode.L4, null))
            .health(new HealthProbe(ProbeType.TCP, 0, "default", null))
            .build();
    BerthServiceSpec.Component written =
        ServiceSpecMapping.fromServiceSpec(ServiceSpec.of("app", component)).components().get(0);

    assertThat(written.health())
        .isEqualTo(new BerthServiceSpec.Health("tcp", null, "default", null));
    assertThat(written.update()).isNull();
    ComponentSpec read =
        ServiceSpecMapping.toServiceSpec("app", withComponent(written)).spec().components().get(0);
    assertThat(read.health().period()).isEqualTo(HealthProbe.DEFAULT_PERIOD);
    assertThat(read.health().failureThreshold()).isEqualTo(HealthProbe.DEFAULT_FAILURE_THRESHOLD);
    assertThat(read.update()).isEqualTo(UpdatePolicy.DEFAULTS);
  }

  @Test
  void aDurationThatIsNotOneOrAnUnknownStrategyIsRefusedWithItsPath() {
    BerthServiceSpec.Component app =
        component("app", null, "always")
            .withHealth(
                new BerthServiceSpec.Health("tcp", 80, null, null, true, "10", "1s", null, "soon"))
            .withUpdate(new BerthServiceSpec.Update("rolling", "1m1m", null, null));

    assertThat(ServiceSpecMapping.toServiceSpec("app", withComponent(app)).violations())
        .extracting(Violation::toString)
        .containsExactly(
            "components[0].health.period: must be a duration such as "
                + DurationSyntax.EXAMPLES
                + ", was \"10\"",
            "components[0].health.initial_delay: must be a duration such as "
                + DurationSyntax.EXAMPLES
                + ", was \"soon\"",
            "components[0].update.strategy: must be one of \"beside\" | \"recreate\", was"
                + " \"rolling\"",
            "components[0].update.deadline: must be a duration such as "
                + DurationSyntax.EXAMPLES
                + ", was \"1m1m\"");
  }

  @Test
  void aVariableWithoutValueIsTheEmptyStringAsInAPod() {
    BerthServiceSpec spec =
        withComponent(
            component("app", List.of(new BerthServiceSpec.Variable("DEBUG", null)), "always"));

    assertThat(ServiceSpecMapping.toServiceSpec("app", spec).spec().components().get(0).env())
        .isEqualTo(Map.of("DEBUG", ""));
  }

  @Test
  void unknownWordsAreRefusedWithTheirPathAndTheChoices() {
    BerthServiceSpec.Component component =
        new BerthServiceSpec.Component(
            "app",
            "vm",
            "example.net/app:1",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            "sometimes",
            null,
            null,
            List.of(new BerthServiceSpec.Route("web", 443, "l5", null)),
            new BerthServiceSpec.Health("udp", 53, null, null),
            null);
    BerthServiceSpec spec = new BerthServiceSpec(null, "paused", null, List.of(component));

    ServiceSpecMapping.Converted converted = ServiceSpecMapping.toServiceSpec("app", spec);

    assertThat(converted.ok()).isFalse();
    assertThat(converted.violations())
        .extracting(Violation::toString)
        .containsExactly(
            "state: must be one of \"running\" | \"stopped\", was \"paused\"",
            "components[0].runtime: must be one of \"container\" | \"unikernel\" | \"process\","
                + " was \"vm\"",
            "components[0].restart: must be one of \"no\" | \"always\" | \"on-failure\" |"
                + " \"unless-stopped\", was \"sometimes\"",
            "components[0].routes[0].mode: must be one of \"l4\" | \"l7\", was \"l5\"",
            "components[0].health.type: must be one of \"tcp\" | \"grpc\" | \"http\", was"
                + " \"udp\"");
  }

  @Test
  void anEnvNameGivenTwiceOrNotAtAllIsRefused() {
    BerthServiceSpec spec =
        withComponent(
            component(
                "app",
                List.of(
                    new BerthServiceSpec.Variable("A", "1"),
                    new BerthServiceSpec.Variable(null, "2"),
                    new BerthServiceSpec.Variable("A", "3")),
                "always"));

    assertThat(ServiceSpecMapping.toServiceSpec("app", spec).violations())
        .extracting(Violation::toString)
        .containsExactly(
            "components[0].env[1].name: must be set",
            "components[0].env[2].name: \"A\" is set twice: env[0] sets it too");
  }

  @Test
  void nullEntriesAreRefusedWithTheirPath() {
    BerthServiceSpec.Component withNullArgument =
        new BerthServiceSpec.Component(
            "app",
            null,
            "example.net/app:1",
            null,
            Arrays.asList("--a", null),
            null,
            Arrays.asList((BerthServiceSpec.Mount) null),
            null,
            null,
            null,
            null,
            null,
            null,
            Arrays.asList((BerthServiceSpec.Route) null),
            null,
            null);
    BerthServiceSpec spec =
        new BerthServiceSpec(null, null, null, Arrays.asList(withNullArgument, null));

    assertThat(ServiceSpecMapping.toServiceSpec("app", spec).violations())
        .extracting(Violation::toString)
        .containsExactly(
            "components[0].cmd[1]: must be a string, was null",
            "components[0].volumes[0]: must be an object, was null",
            "components[0].routes[0]: must be a route, was null",
            "components[1]: must be a component, was null");
  }

  @Test
  void valuesPassThroughForTheValidatorToJudge() {
    BerthServiceSpec spec =
        new BerthServiceSpec(
            null,
            null,
            null,
            List.of(
                new BerthServiceSpec.Component(
                    "app",
                    null,
                    "example.net/app:1",
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    List.of(new BerthServiceSpec.Route("web", 70000, null, null)),
                    null,
                    null)));

    ServiceSpec service = ServiceSpecMapping.toServiceSpec("app", spec).spec();

    assertThat(new SpecValidator().validate(service))
        .extracting(Violation::toString)
        .containsExactly("components[0].routes[0].port: must be 1..65535, was 70000");
  }

  @Test
  void aResourceWithoutASpecDeclaresAServiceWithoutComponents() {
    ServiceSpec service = ServiceSpecMapping.toServiceSpec("app", null).spec();

    assertThat(new SpecValidator().validate(service))
        .extracting(Violation::toString)
        .containsExactly("components: a service needs at least one component");
  }

  private static BerthServiceSpec withComponent(BerthServiceSpec.Component component) {
    return new BerthServiceSpec(null, null, null, List.of(component));
  }

  private static BerthServiceSpec.Component component(
      String name, List<BerthServiceSpec.Variable> env, String restart) {
    return new BerthServiceSpec.Component(
        name,
        null,
        "example.net/app:1",
        null,
        null,
        env,
        null,
        null,
        null,
        null,
        restart,
        null,
        null,
        null,
        null,
        null);
  }
}
