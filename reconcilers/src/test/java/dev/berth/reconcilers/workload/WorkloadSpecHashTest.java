package dev.berth.reconcilers.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.SecretVariable;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.spec.identity.Labels;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.RuntimeKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a workload's spec hash covers of its secrets: their digests, never their values. */
class WorkloadSpecHashTest {

  static final ComponentSpec WORKER =
      ComponentSpec.builder("worker", RuntimeKind.PROCESS)
          .executable("/usr/bin/worker")
          .cmd("--queue", "jobs")
          .env("LOG_LEVEL", "info")
          .build();

  static final ComponentSpec WITH_SECRET = WORKER.toBuilder().secret("TOKEN", "token").build();

  @Test
  void aComponentWithoutSecretsKeepsTheHashItHadBeforeSecretsExisted() {
    // What Berth before secrets computed for it (main at 92d8b27): an upgrade replaces nothing.
    assertThat(hash(WORKER, Map.of())).isEqualTo("a32348ad57832d66");
  }

  @Test
  void aChangedDigestGivesAnotherHash() {
    assertThat(hash(WITH_SECRET, Map.of("token", "sha256:aa")))
        .isNotEqualTo(hash(WITH_SECRET, Map.of("token", "sha256:bb")));
  }

  @Test
  void aSecretChangesTheHashOfItsComponentOnly() {
    assertThat(hash(WITH_SECRET, Map.of("token", "sha256:aa")))
        .isNotEqualTo(hash(WORKER, Map.of()));
    assertThat(hash(WORKER, Map.of("token", "sha256:aa"))).isEqualTo(hash(WORKER, Map.of()));
  }

  @Test
  void theValueIsNoPartOfTheHash() {
    WorkloadSpec planned = WorkloadSpecs.of("shop", 1, WITH_SECRET, Map.of(), Map.of("token", "d"));

    assertThat(WorkloadSpecHash.of(planned.withSecretValues(Map.of("TOKEN", "one"))))
        .isEqualTo(WorkloadSpecHash.of(planned.withSecretValues(Map.of("TOKEN", "two"))));
  }

  @Test
  void aFileWithoutADigestIsPlannedAsUnusableWithoutAValue() {
    WorkloadSpec planned = WorkloadSpecs.of("shop", 1, WITH_SECRET, Map.of(), Map.of());

    assertThat(planned.secrets())
        .containsExactly(SecretVariable.planned("TOKEN", "token", WorkloadSpecs.UNUSABLE_SECRET));
  }

  @Test
  void theSlotAndCreationLabelsAreNoPartOfTheHash() {
    WorkloadSpec planned = WorkloadSpecs.of("shop", 1, WORKER, Map.of(), Map.of());

    assertThat(
            WorkloadSpecHash.of(
                planned
                    .withLabel(Labels.SLOT, "1")
                    .withLabel(Labels.CREATED, "2026-12-02T17:00:00Z")))
        .isEqualTo(WorkloadSpecHash.of(planned));
  }

  @Test
  void aRoutedWorkloadOnItsFirstPortsKeepsTheHashItHadBeforeSparePortsExisted() {
    ComponentSpec routed =
        WORKER.withRoutes(
            java.util.List.of(
                new dev.berth.spec.model.RouteSpec(
                    "https", 443, dev.berth.spec.model.RouteMode.L4, "worker.example.net")));

    WorkloadSpec first = WorkloadSpecs.of("shop", 1, routed, Map.of("https", 20001), 0);

    assertThat(first.labels()).doesNotContainKey(Labels.SLOT);
    assertThat(first).isEqualTo(WorkloadSpecs.of("shop", 1, routed, Map.of("https", 20001)));
    assertThat(WorkloadSpecs.of("shop", 1, routed, Map.of("https", 20002), 1).labels())
        .containsEntry(Labels.SLOT, "1");
  }

  private static String hash(ComponentSpec component, Map<String, String> digests) {
    return WorkloadSpecs.of("shop", 1, component, Map.of(), digests).labels().get(Labels.SPEC_HASH);
  }
}
