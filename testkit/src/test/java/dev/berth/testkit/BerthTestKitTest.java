package dev.berth.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconcilers.probe.ProbeResult;
import dev.berth.reconcilers.stage.BootStage;
import dev.berth.runtime.Workload;
import dev.berth.runtime.fake.FakeRuntime;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.HealthProbe;
import dev.berth.spec.model.ProbeType;
import dev.berth.spec.model.RestartPolicy;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.store.registry.ServiceEvent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BerthTestKitTest {

  @RegisterExtension BerthExtension berth = new BerthExtension();

  static final ServiceSpec SHOP =
      ServiceSpec.of(
          "shop",
          ComponentSpec.container("web", "localhost/web:1").toBuilder()
              .restart(RestartPolicy.ALWAYS)
              .build());

  @Test
  void aDeclaredServiceRunsAfterConvergence() {
    berth.kit().declare(SHOP).converge();
    assertThat(berth.kit().workload("shop", "web"))
        .hasValueSatisfying(w -> assertThat(w.running()).isTrue());
    assertThat(berth.kit().status("shop")).extracting(s -> s.state()).containsExactly("running");
    assertThat(berth.kit().events("shop")).extracting(ServiceEvent::reason).contains("Created");
  }

  @Test
  void failuresAreRetriedWithBackoffOnTheManualClock() {
    berth.kit().runtime().failureRate(FakeRuntime.Operation.RUN, 1.0);
    berth.kit().declare(SHOP);
    berth.kit().advance(Duration.ofSeconds(1));
    assertThat(berth.kit().workloads()).isEmpty();
    berth.kit().runtime().failureRate(FakeRuntime.Operation.RUN, 0);
    berth.kit().converge();
    assertThat(berth.kit().workload("shop", "web")).isPresent();
    assertThat(berth.kit().events("shop"))
        .extracting(ServiceEvent::reason)
        .contains("Failed", "Created");
  }

  @Test
  void anOptionalStageThatNeverComesUpLetsTheNextOneStartAfterItsTimeoutWithAWarning() {
    ServiceSpec db =
        ServiceSpec.of(
            "db",
            ComponentSpec.container("db", "localhost/db:1").toBuilder()
                .health(new HealthProbe(ProbeType.TCP, 5432, null, null))
                .build());
    try (BerthTestKit kit =
        BerthTestKit.start(
            node ->
                node.stages(
                    List.of(
                        new BootStage("data", List.of("db"), Duration.ofSeconds(30), null, false),
                        new BootStage("apps", List.of("shop"), Duration.ofSeconds(30), null, true)),
                    (target, timeout) -> ProbeResult.fail("connection refused")))) {
      kit.declare(db, SHOP);
      kit.advance(Duration.ofSeconds(10));
      assertThat(kit.workload("shop", "web")).isEmpty();
      kit.converge();
      assertThat(kit.workload("shop", "web")).isPresent();
      assertThat(kit.events("db"))
          .filteredOn(e -> e.reason().equals("StageSkipped"))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.type()).isEqualTo(ServiceEvent.Type.WARNING);
                assertThat(e.message()).contains("connection refused");
              });
    }
  }

  @Test
  void aCrashLoopWaitsOnTheClockNotOnRealTime() {
    berth.kit().declare(SHOP).converge();
    for (int i = 0; i < 4; i++) {
      Workload web = berth.kit().workload("shop", "web").orElseThrow();
      berth.kit().runtime().killOutOfBand(web.id(), 1);
      berth.kit().converge();
    }
    assertThat(berth.kit().workload("shop", "web"))
        .hasValueSatisfying(w -> assertThat(w.running()).isTrue());
    assertThat(berth.kit().events("shop"))
        .filteredOn(e -> e.reason().equals("Restarted"))
        .hasSize(4);
  }
}
