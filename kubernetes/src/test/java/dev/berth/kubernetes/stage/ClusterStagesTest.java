package dev.berth.kubernetes.stage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.stage.Admission;
import dev.berth.core.stage.OrderedStages;
import dev.berth.core.stage.StageListener;
import dev.berth.core.time.ManualClock;
import dev.berth.kubernetes.resource.BerthService;
import dev.berth.kubernetes.resource.BerthServiceSpec;
import dev.berth.kubernetes.resource.BerthServiceStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterStagesTest {

  final ManualClock clock = new ManualClock();
  final List<BerthService> services = new ArrayList<>();

  OrderedStages<ServiceKey> gate(ClusterStage... stages) {
    return ClusterStages.gate(List.of(stages), () -> services, clock, StageListener.NONE);
  }

  static ClusterStage stage(String name, String... services) {
    return new ClusterStage(name, List.of(services), ClusterStage.DEFAULT_TIMEOUT, true);
  }

  static BerthService service(String namespace, String name, String state, String ready) {
    BerthService service = new BerthService();
    service.setMetadata(
        new ObjectMetaBuilder().withNamespace(namespace).withName(name).withGeneration(2L).build());
    service.setSpec(new BerthServiceSpec(null, state, null, null));
    if (ready != null) {
      service.setStatus(
          new BerthServiceStatus(
              2L,
              List.of(
                  new BerthServiceStatus.Condition(
                      "Ready", ready, "Progressing", "web: its pod is not ready yet", null)),
              null,
              null));
    }
    return service;
  }

  @Test
  void aLaterStageWaitsUntilEveryServiceOfTheEarlierOneIsReady() {
    services.add(service("data", "postgres", null, "False"));
    OrderedStages<ServiceKey> gate = gate(stage("data", "postgres"), stage("apps", "shop"));

    Admission admission = gate.admit(new ServiceKey("apps", "shop"));

    assertThat(admission.admitted()).isFalse();
    assertThat(admission.waitingFor()).isEqualTo("data");
    assertThat(admission.reason()).isEqualTo("data/postgres: web: its pod is not ready yet");
  }

  @Test
  void aReadyEarlierStageAdmitsTheNext() {
    services.add(service("data", "postgres", null, "True"));
    OrderedStages<ServiceKey> gate = gate(stage("data", "postgres"), stage("apps", "shop"));

    assertThat(gate.admit(new ServiceKey("apps", "shop")).admitted()).isTrue();
  }

  @Test
  void aStatusOfAnEarlierGenerationDoesNotCount() {
    BerthService postgres = service("data", "postgres", null, "True");
    postgres.getMetadata().setGeneration(3L);
    services.add(postgres);

    OrderedStages<ServiceKey> gate = gate(stage("data", "postgres"), stage("apps", "shop"));

    assertThat(gate.admit(new ServiceKey("apps", "shop")).reason())
        .isEqualTo("data/postgres: its generation 3 is not reconciled yet");
  }

  @Test
  void stoppedAndUndeclaredMembersDoNotHoldAStageBack() {
    services.add(service("data", "redis", "stopped", "False"));
    OrderedStages<ServiceKey> gate =
        gate(stage("data", "postgres", "data/redis"), stage("apps", "shop"));

    assertThat(gate.admit(new ServiceKey("apps", "shop")).admitted()).isTrue();
  }

  @Test
  void aNamespacedEntryNamesOneServiceAndABareNameEveryNamespace() {
    ClusterStage stage = stage("data", "data/postgres", "redis");

    assertThat(stage.member(new ServiceKey("data", "postgres"))).isTrue();
    assertThat(stage.member(new ServiceKey("other", "postgres"))).isFalse();
    assertThat(stage.member(new ServiceKey("other", "redis"))).isTrue();
  }

  @Test
  void anOptionalStageLetsTheNextOneInAfterItsTimeout() {
    services.add(service("data", "postgres", null, "False"));
    OrderedStages<ServiceKey> gate =
        gate(
            new ClusterStage("data", List.of("postgres"), Duration.ofMinutes(1), false),
            stage("apps", "shop"));
    gate.admit(new ServiceKey("data", "postgres")); // the stage starts

    clock.advance(Duration.ofMinutes(1));

    assertThat(gate.admit(new ServiceKey("apps", "shop")).admitted()).isTrue();
  }

  @Test
  void servicesInNoStageAreAdmittedAtOnce() {
    services.add(service("data", "postgres", null, "False"));

    assertThat(gate(stage("data", "postgres")).admit(new ServiceKey("apps", "tools")).admitted())
        .isTrue();
  }
}
