package dev.berth.reconcilers.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.runtime.podman.ContainerSpecRules;
import dev.berth.runtime.process.ProcessSpecRules;
import dev.berth.runtime.qemu.VmSpecRules;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.PortMapping;
import dev.berth.spec.model.RestartPolicy;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.SecretRef;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.model.VolumeMount;
import dev.berth.spec.validation.SpecValidator;
import dev.berth.spec.validation.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What a runtime cannot run is refused at apply, with the field path, never accepted and then
 * failed at every reconcile: for every component of a catalogue that varies each field a kind may
 * not honour, a runtime refuses only what the validator refused first.
 */
class CapabilityRulesTest {

  private static final SpecValidator VALIDATOR = new SpecValidator();

  /** Each runtime's own refusals, as it checks a workload before running anything. */
  private static final Map<RuntimeKind, Consumer<WorkloadSpec>> RUNTIME_RULES =
      Map.of(
          RuntimeKind.CONTAINER, ContainerSpecRules::check,
          RuntimeKind.PROCESS, ProcessSpecRules::check,
          RuntimeKind.UNIKERNEL, VmSpecRules::check);

  @Test
  void aComponentTheValidatorAcceptsIsNeverRefusedByItsRuntime() {
    List<String> refusedAfterApply = new ArrayList<>();
    int accepted = 0;
    int refusedByBoth = 0;
    for (ComponentSpec component : catalogue()) {
      boolean valid = VALIDATOR.validate(ServiceSpec.of("svc", component)).isEmpty();
      String refusal = runtimeRefusal(component);
      if (valid) {
        accepted++;
        if (refusal != null) {
          refusedAfterApply.add(component + " -> " + refusal);
        }
      } else if (refusal != null) {
        refusedByBoth++;
      }
    }
    assertThat(refusedAfterApply).as("accepted at apply, refused by the runtime").isEmpty();
    // The catalogue reaches both sides of every rule, or the test would prove nothing.
    assertThat(accepted).isGreaterThan(1000);
    assertThat(refusedByBoth).isGreaterThan(1000);
  }

  @Test
  void aProcessWithAUserIsRefusedAtApplyWithItsFieldPath() {
    ComponentSpec process = component(RuntimeKind.PROCESS, null, "/bin/sh", "1000", List.of(), 0);

    assertThat(VALIDATOR.validate(ServiceSpec.of("svc", process)))
        .extracting(Violation::path)
        .containsExactly("components[0].user");
    assertThat(runtimeRefusal(process)).contains("runs as the agent's user");
  }

  @Test
  void aVmPortOnAnIpv6AddressIsRefusedAtApplyWithItsFieldPath() {
    ComponentSpec vm =
        component(
            RuntimeKind.UNIKERNEL,
            "/var/lib/berth/vm/kernel",
            null,
            null,
            List.of(new PortMapping("::1", 8080, 80)),
            256);

    assertThat(VALIDATOR.validate(ServiceSpec.of("svc", vm)))
        .extracting(Violation::path)
        .containsExactly("components[0].ports[0].ip");
    assertThat(runtimeRefusal(vm)).contains("IPv4");
  }

  /** The runtime's refusal of the workload this component becomes, or null if it would run it. */
  private static String runtimeRefusal(ComponentSpec component) {
    Map<String, Integer> routePorts = new LinkedHashMap<>();
    for (int i = 0; i < component.routes().size(); i++) {
      routePorts.put(component.routes().get(i).name(), 20_000 + i);
    }
    WorkloadSpec workload;
    try {
      workload = WorkloadSpecs.of("svc", 1, component, routePorts);
    } catch (IllegalArgumentException e) {
      return "no workload: " + e.getMessage();
    }
    if (component.runtime() == null) {
      return "no runtime";
    }
    try {
      RUNTIME_RULES.get(component.runtime()).accept(workload);
      return null;
    } catch (RuntimeFailure e) {
      return e.getMessage();
    }
  }

  private static ComponentSpec component(
      RuntimeKind kind,
      String image,
      String executable,
      String user,
      List<PortMapping> ports,
      int memory) {
    return new ComponentSpec(
        "c",
        kind,
        image,
        executable,
        List.of(),
        Map.of(),
        List.of(),
        ports,
        null,
        user,
        RestartPolicy.ALWAYS,
        memory,
        0,
        List.of(),
        null,
        Map.of());
  }

  /** Every combination of the values below, for each kind. */
  private static List<ComponentSpec> catalogue() {
    List<ComponentSpec> all = new ArrayList<>();
    for (RuntimeKind kind : RuntimeKind.values()) {
      for (String image : images(kind)) {
        for (String executable : new String[] {null, "/bin/sh", "sh"}) {
          for (String user : new String[] {null, "1000", "app:app"}) {
            for (List<VolumeMount> volumes : volumes()) {
              for (List<PortMapping> ports : ports()) {
                for (Map<String, String> env : envs()) {
                  for (List<String> cmd : cmds()) {
                    for (List<RouteSpec> routes : routes()) {
                      for (int memory : new int[] {0, 256}) {
                        all.add(
                            new ComponentSpec(
                                "c",
                                kind,
                                image,
                                executable,
                                cmd,
                                env,
                                volumes,
                                ports,
                                memory == 0 ? null : "net1",
                                user,
                                RestartPolicy.ALWAYS,
                                memory,
                                memory == 0 ? 0 : 2,
                                routes,
                                null,
                                Map.of(),
                                null,
                                // With the other optional fields: every kind meets a secret.
                                memory == 0 ? null : List.of(new SecretRef("TOKEN", "token"))));
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return all;
  }

  private static List<String> images(RuntimeKind kind) {
    List<String> images = new ArrayList<>();
    images.add(null);
    images.add("registry.example:5000/team/app:1.0");
    if (kind == RuntimeKind.UNIKERNEL) {
      images.add("/var/lib/berth/vm/kernel");
    }
    return images;
  }

  private static List<List<VolumeMount>> volumes() {
    return List.of(List.of(), List.of(new VolumeMount("/srv/data", "/data", false)));
  }

  private static List<List<PortMapping>> ports() {
    return List.of(
        List.of(),
        List.of(new PortMapping("127.0.0.1", 8080, 80)),
        List.of(new PortMapping("::1", 8081, 81)),
        List.of(new PortMapping(null, 9000, 9000)));
  }

  private static List<Map<String, String>> envs() {
    Map<String, String> many = new LinkedHashMap<>();
    IntStream.range(0, 31).forEach(i -> many.put("V" + i, "x"));
    return List.of(
        Map.of(),
        Map.of("GREETING", "hello there"),
        Map.of("QUOTED", "say \"hi\""),
        Map.of("TABBED", "a\tb"),
        Map.of("PORT", "8080"),
        many);
  }

  private static List<List<String>> cmds() {
    return List.of(List.of(), List.of("console=ttyS0"), List.of("x".repeat(2100)));
  }

  private static List<List<RouteSpec>> routes() {
    return List.of(
        List.of(),
        List.of(new RouteSpec("http", 443, RouteMode.L4, "svc.example.com")),
        List.of(
            new RouteSpec("http", 443, RouteMode.L4, "svc.example.com"),
            new RouteSpec("admin-api", 8443, RouteMode.L4, "admin.example.com")));
  }
}
