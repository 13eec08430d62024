package dev.berth.runner.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.HealthProbe;
import dev.berth.spec.model.ProbeType;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.model.UpdatePolicy;
import dev.berth.spec.model.UpdateStrategy;
import dev.berth.spec.validation.Violation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A component's update and probe settings and its secrets cross the wire unchanged, defaults
 * included.
 */
class ProtoSpecsTest {

  static final ComponentSpec WEB =
      ComponentSpec.builder("web", RuntimeKind.PROCESS)
          .executable("/usr/bin/web")
          .routes(new RouteSpec("https", 443, RouteMode.L7, "web.example.net"))
          .build();

  static ServiceSpec roundTrip(ComponentSpec component) {
    List<Violation> violations = new ArrayList<>();
    ServiceSpec back =
        ProtoSpecs.fromProto(
            ProtoSpecs.toProto(ServiceSpec.of("web", component)), "services[0]", violations);
    assertThat(violations).isEmpty();
    return back;
  }

  @Test
  void updateSettingsSurviveTheWire() {
    ComponentSpec set =
        WEB.toBuilder()
            .update(
                new UpdatePolicy(UpdateStrategy.BESIDE, Duration.ofSeconds(5), Duration.ZERO, true))
            .build();

    assertThat(roundTrip(set).components()).containsExactly(set);
  }

  @Test
  void defaultUpdateSettingsStayDefaults() {
    assertThat(roundTrip(WEB).components().get(0).update()).isEqualTo(UpdatePolicy.DEFAULTS);
  }

  @Test
  void livenessAndProbeTimingSurviveTheWire() {
    ComponentSpec set =
        WEB.toBuilder()
            .health(
                new HealthProbe(
                    ProbeType.HTTP,
                    0,
                    "https",
                    "/healthz",
                    true,
                    Duration.ofSeconds(5),
                    Duration.ofMillis(200),
                    2,
                    Duration.ofSeconds(30)))
            .build();

    assertThat(roundTrip(set).components()).containsExactly(set);
  }

  @Test
  void aProbeWithoutTimingKeepsTheDefaults() {
    ComponentSpec set =
        WEB.toBuilder().health(new HealthProbe(ProbeType.TCP, 0, "https", null)).build();

    assertThat(roundTrip(set).components()).containsExactly(set);
  }

  @Test
  void secretsCrossTheWireAsNamesAndFilesInOrder() {
    ComponentSpec set =
        WEB.toBuilder().secret("DB_PASSWORD", "db").secret("API_KEY", "api").build();

    assertThat(roundTrip(set).components()).containsExactly(set);
  }
}
