package dev.berth.reconcilers.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconcilers.route.RouteBinding;
import dev.berth.reconcilers.workload.WorkloadSpecs;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.RouteMode;
import dev.berth.store.registry.PortKey;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each step of a plan says itself in the words events and logs use, and whose it is. */
class ActionTest {

  static final ComponentSpec WEB = ComponentSpec.container("web", "localhost/web:1.0");
  static final WorkloadSpec SPEC = WorkloadSpecs.of("shop", 3, WEB, Map.of());

  static Stream<Arguments> actions() {
    RouteBinding route =
        new RouteBinding(
            "shop", "web", "mqtt", RouteMode.L4, "mqtt.example.net", 8883, 12001, null);
    return Stream.of(
        Arguments.of(
            new Action.AllocatePort(new PortKey("shop", "web", "https")),
            "allocate a host port for route https",
            "web"),
        Arguments.of(
            new Action.RequestCertificate("shop.example.net"),
            "request a certificate for shop.example.net",
            null),
        Arguments.of(new Action.EnsureImage("web", SPEC), "ensure image localhost/web:1.0", "web"),
        Arguments.of(new Action.Create("web", SPEC), "create " + SPEC.name(), "web"),
        Arguments.of(new Action.Replace("web", "w-1", SPEC), "replace w-1", "web"),
        Arguments.of(new Action.Start("web", "w-1", true), "start w-1", "web"),
        Arguments.of(new Action.Stop("web", "w-1"), "stop w-1", "web"),
        Arguments.of(
            new Action.StopUnhealthy(
                "web", "w-1", new ComponentHistory.Run("w-1", null), "its tcp probe failed"),
            "stop w-1 (liveness probe failed)",
            "web"),
        Arguments.of(new Action.Remove("web", "w-1", "gone from the spec"), "remove w-1", "web"),
        Arguments.of(new Action.PublishRoutes(Set.of(route)), "publish 1 routes", null));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("actions")
  void describesItselfAndNamesItsComponent(Action action, String words, String component) {
    assertThat(action.describe()).isEqualTo(words);
    assertThat(action.component()).isEqualTo(component);
  }
}
