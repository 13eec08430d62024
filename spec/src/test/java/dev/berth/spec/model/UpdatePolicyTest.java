package dev.berth.spec.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which strategy a component is updated with when its file does not say. */
class UpdatePolicyTest {

  static final RouteSpec HTTPS = new RouteSpec("https", 443, RouteMode.L7, "web.example.net");
  static final ComponentSpec ROUTED =
      ComponentSpec.builder("web", RuntimeKind.PROCESS)
          .executable("/usr/bin/web")
          .routes(HTTPS)
          .build();

  @Test
  void aComponentWithARouteIsReplacedBeside() {
    assertThat(UpdatePolicy.strategyFor(ROUTED)).isEqualTo(UpdateStrategy.BESIDE);
  }

  @Test
  void aComponentWithoutARouteIsRecreated() {
    assertThat(UpdatePolicy.strategyFor(ROUTED.withRoutes(List.of())))
        .isEqualTo(UpdateStrategy.RECREATE);
  }

  @Test
  void aComponentPublishingExplicitPortsIsRecreated() {
    ComponentSpec published = ROUTED.toBuilder().ports(new PortMapping(null, 8080, 8080)).build();
    assertThat(UpdatePolicy.strategyFor(published)).isEqualTo(UpdateStrategy.RECREATE);
  }

  @Test
  void aComponentProbedAtAPortOfItsOwnIsRecreated() {
    ComponentSpec probed =
        ROUTED.toBuilder().health(new HealthProbe(ProbeType.TCP, 9000, null, null)).build();
    assertThat(UpdatePolicy.strategyFor(probed)).isEqualTo(UpdateStrategy.RECREATE);
  }

  @Test
  void aComponentProbedAtItsRouteIsReplacedBeside() {
    ComponentSpec probed =
        ROUTED.toBuilder().health(new HealthProbe(ProbeType.HTTP, 0, "https", "/")).build();
    assertThat(UpdatePolicy.strategyFor(probed)).isEqualTo(UpdateStrategy.BESIDE);
  }

  @Test
  void theDeclaredStrategyWins() {
    ComponentSpec recreated =
        ROUTED.toBuilder().update(UpdatePolicy.of(UpdateStrategy.RECREATE)).build();
    assertThat(UpdatePolicy.strategyFor(recreated)).isEqualTo(UpdateStrategy.RECREATE);
  }

  @Test
  void anAbsentPolicyIsTheDefaults() {
    assertThat(ROUTED.update()).isEqualTo(UpdatePolicy.DEFAULTS);
    assertThat(new UpdatePolicy(null, null, null, false).deadline())
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(UpdatePolicy.DEFAULTS.drain()).isEqualTo(Duration.ofSeconds(5));
  }
}
