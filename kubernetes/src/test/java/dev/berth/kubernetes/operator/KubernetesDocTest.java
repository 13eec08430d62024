package dev.berth.kubernetes.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.stage.Admission;
import dev.berth.kubernetes.plan.KubernetesPlan;
import dev.berth.kubernetes.plan.KubernetesPlanner;
import dev.berth.kubernetes.plan.ObservedObjects;
import dev.berth.kubernetes.plan.OperatorConfig;
import dev.berth.kubernetes.plan.Owner;
import dev.berth.kubernetes.plan.PlanInput;
import dev.berth.kubernetes.resource.BerthServiceSpec;
import dev.berth.kubernetes.resource.BerthServiceSpec.Component;
import dev.berth.kubernetes.resource.BerthServiceSpec.Health;
import dev.berth.kubernetes.resource.BerthServiceSpec.Mount;
import dev.berth.kubernetes.resource.BerthServiceSpec.PublishedPort;
import dev.berth.kubernetes.resource.BerthServiceSpec.Route;
import dev.berth.kubernetes.resource.BerthServiceSpec.Update;
import dev.berth.kubernetes.resource.BerthServiceStatus.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/kubernetes.md's table of what a cluster refuses is what the planner refuses: for each row, a
 * spec that asks for it gets Valid=False with the row's reason and its field path.
 */
class KubernetesDocTest {

  static final Path DOC = Path.of("..", "docs", "kubernetes.md");

  static Component component(
      String runtime,
      String image,
      String restart,
      String user,
      String network,
      List<Mount> volumes,
      List<PublishedPort> ports,
      List<Route> routes) {
    return new Component(
        "app",
        runtime,
        image,
        runtime == null ? null : "/usr/bin/tool",
        null,
        null,
        volumes,
        ports,
        network,
        user,
        restart,
        null,
        null,
        routes,
        null,
        null);
  }

  static Component container() {
    return component(null, "nginx:1.27", "always", null, null, null, null, null);
  }

  static Stream<Arguments> refusals() {
    Route www = new Route("www", 443, "l7", "www.example.test");
    return Stream.of(
        Arguments.of(
            "components[i].runtime",
            "RuntimeNotSupported",
            component("process", null, "always", null, null, null, null, null)),
        Arguments.of(
            "components[i].restart",
            "NotSupportedOnCluster",
            component(null, "nginx:1.27", "no", null, null, null, null, null)),
        Arguments.of(
            "components[i].user",
            "NotSupportedOnCluster",
            component(null, "nginx:1.27", "always", "www-data", null, null, null, null)),
        Arguments.of(
            "components[i].network",
            "NotSupportedOnCluster",
            component(null, "nginx:1.27", "always", null, "backend", null, null, null)),
        Arguments.of(
            "components[i].volumes[j]",
            "NotSupportedOnCluster",
            component(
                null,
                "nginx:1.27",
                "always",
                null,
                null,
                List.of(new Mount("/srv/www", "/usr/share/nginx/html", true)),
                null,
                null)),
        Arguments.of(
            "components[i].ports[j]",
            "NotSupportedOnCluster",
            component(
                null,
                "nginx:1.27",
                "always",
                null,
                null,
                null,
                List.of(new PublishedPort(null, 8081, 81)),
                null)),
        Arguments.of(
            "components[i].routes[j].port",
            "NotSupportedOnCluster",
            component(
                null,
                "nginx:1.27",
                "always",
                null,
                null,
                null,
                null,
                List.of(new Route("www", 8443, "l7", "www.example.test")))),
        Arguments.of(
            "components[i].update.auto_revert",
            "NotSupportedOnCluster",
            container().withUpdate(new Update(null, null, null, true))),
        Arguments.of(
            "components[i].labels[\"k\"]",
            "NotSupportedOnCluster",
            new Component(
                "app",
                null,
                "nginx:1.27",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "always",
                null,
                null,
                List.of(www),
                null,
                java.util.Map.of("tier", "front end"))));
  }

  /** A container with a route, a liveness probe with every timing set, and an update beside. */
  static Component everyRolloutKey(String strategy) {
    return new Component(
            "app",
            null,
            "nginx:1.27",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            "always",
            null,
            null,
            List.of(new Route("web", 443, "l7", "www.example.test")),
            new Health("http", null, "web", "/healthz", true, "5s", "2s", 4, "10s"),
            null)
        .withUpdate(new Update(strategy, "90s", "3s", null));
  }

  static Stream<Arguments> mappings() {
    return Stream.of(
        Arguments.of("health.liveness", "livenessProbe", everyRolloutKey(null)),
        Arguments.of("health.period", "periodSeconds", everyRolloutKey(null)),
        Arguments.of("health.timeout", "timeoutSeconds", everyRolloutKey(null)),
        Arguments.of("health.initial_delay", "initialDelaySeconds", everyRolloutKey(null)),
        Arguments.of("health.failure_threshold", "failureThreshold", everyRolloutKey(null)),
        Arguments.of("update.strategy", "Recreate", everyRolloutKey("recreate")),
        Arguments.of("update.strategy", "RollingUpdate", everyRolloutKey("beside")),
        Arguments.of("update.strategy", "maxSurge", everyRolloutKey("beside")),
        Arguments.of("update.strategy", "maxUnavailable", everyRolloutKey("beside")),
        Arguments.of("update.deadline", "progressDeadlineSeconds", everyRolloutKey(null)),
        Arguments.of("update.drain", "preStop", everyRolloutKey(null)),
        Arguments.of("update.drain", "sleep", everyRolloutKey(null)),
        Arguments.of("update.drain", "terminationGracePeriodSeconds", everyRolloutKey(null)));
  }

  /**
   * docs/kubernetes.md's mapping row of a component key names the Kubernetes field (or value) that
   * the Deployment planned for a component with that key has.
   */
  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("mappings")
  void theDocsMappingRowNamesWhatTheDeploymentHas(String key, String word, Component component)
      throws IOException {
    KubernetesPlan plan =
        new KubernetesPlanner(OperatorConfig.DEFAULTS)
            .plan(
                new PlanInput(
                    new Owner("apps", "web", "uid-1", 1),
                    new BerthServiceSpec(null, null, null, List.of(component)),
                    null,
                    ObservedObjects.none(),
                    Admission.GRANTED,
                    Instant.EPOCH));

    Deployment deployment =
        plan.writes().stream()
            .filter(Deployment.class::isInstance)
            .map(Deployment.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(Serialization.asJson(deployment)).contains("\"" + word + "\"");
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    assertThat(doc.lines().filter(line -> line.startsWith("| `" + key + "` |")))
        .singleElement()
        .satisfies(row -> assertThat(row).contains("`" + word));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void theDocsRefusalRowIsThePlannersRefusal(String field, String reason, Component component)
      throws IOException {
    KubernetesPlan plan =
        new KubernetesPlanner(OperatorConfig.DEFAULTS)
            .plan(
                new PlanInput(
                    new Owner("apps", "web", "uid-1", 1),
                    new BerthServiceSpec(null, null, null, List.of(component)),
                    null,
                    ObservedObjects.none(),
                    Admission.GRANTED,
                    Instant.EPOCH));

    assertThat(plan.kind()).isEqualTo(KubernetesPlan.Kind.REFUSED);
    Condition valid =
        plan.status().conditions().stream()
            .filter(c -> c.type().equals("Valid"))
            .findFirst()
            .orElseThrow();
    assertThat(valid.reason()).isEqualTo(reason);
    String path =
        field.replace("[i]", "[0]").replace("[j]", "[0]").replace("[\"k\"]", "[\"tier\"]");
    assertThat(valid.message()).contains(path);
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    assertThat(doc.lines().filter(line -> line.startsWith("| `" + field + "` |")))
        .singleElement()
        .satisfies(row -> assertThat(row).contains("| `" + reason + "` |"));
  }
}
