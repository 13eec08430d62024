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
import dev.berth.kubernetes.resource.BerthServiceSpec.Route;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ClusterAccess lists every kind the planner writes, so the RBAC checked against it is whole. */
class ClusterAccessTest {

  @Test
  void everyKindThePlannerWritesIsOneTheOperatorWatchesAndMayWrite() {
    Component web =
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
            List.of(
                new Route("www", 443, "l7", "www.example.test"),
                new Route("tls", 8443, "l4", "db.example.test")),
            null,
            null);
    KubernetesPlan plan =
        new KubernetesPlanner(OperatorConfig.DEFAULTS)
            .plan(
                new PlanInput(
                    new Owner("apps", "web", "uid-1", 1),
                    new BerthServiceSpec(null, null, null, List.of(web)),
                    null,
                    ObservedObjects.none(),
                    Admission.GRANTED,
                    Instant.EPOCH));

    assertThat(plan.desired()).isNotEmpty();
    List<String> owned =
        ClusterAccess.OWNED.stream()
            .map(kind -> io.fabric8.kubernetes.api.model.HasMetadata.getKind(kind.type()))
            .toList();
    assertThat(plan.desired())
        .extracting(dev.berth.kubernetes.plan.ObjectRef::kind)
        .allSatisfy(kind -> assertThat(owned).contains(kind));
    assertThat(plan.writes()).allSatisfy(object -> assertThat(owned).contains(object.getKind()));
  }
}
