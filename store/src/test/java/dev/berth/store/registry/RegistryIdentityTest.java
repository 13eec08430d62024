package dev.berth.store.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every registry has an id of its own, kept for life (and in its backups); it owns the workloads
 * that carry its id, and those of registries the operator handed over to it, and no others.
 */
class RegistryIdentityTest {

  @TempDir Path data;
  @TempDir Path elsewhere;

  @Test
  void aNewRegistryHasARandomIdThatItKeepsAcrossOpens() {
    String id;
    try (Registry registry = Registry.open(RegistryConfig.at(data))) {
      id = registry.identity().get().id();
      assertThat(UUID.fromString(id)).hasToString(id);
    }
    try (Registry registry = Registry.open(RegistryConfig.at(data))) {
      assertThat(registry.identity().get().id()).isEqualTo(id);
    }
  }

  @Test
  void twoRegistriesHaveDifferentIds() {
    try (Registry one = Registry.open(RegistryConfig.at(data));
        Registry other = Registry.open(RegistryConfig.at(elsewhere))) {
      assertThat(one.identity().get().id()).isNotEqualTo(other.identity().get().id());
    }
  }

  @Test
  void aRestoredBackupKeepsTheIdentity() {
    Path zip = elsewhere.resolve("backup.zip");
    String id;
    try (Registry registry = Registry.open(RegistryConfig.at(data))) {
      id = registry.identity().get().id();
      registry.backup(zip, "test");
    }
    Registry.restore(zip, elsewhere.resolve("restored"));
    try (Registry restored = Registry.open(RegistryConfig.at(elsewhere.resolve("restored")))) {
      assertThat(restored.identity().get().id()).isEqualTo(id);
    }
  }

  @Test
  void aNewRegistryOwnsItsOwnWorkloadsOnly() {
    try (Registry registry = Registry.open(RegistryConfig.at(data))) {
      RegistryIdentity identity = registry.identity().get();
      assertThat(identity.owns(identity.id())).isTrue();
      assertThat(identity.owns(UUID.randomUUID().toString())).isFalse();
      assertThat(identity.owns(null)).as("no registry id: made by an older Berth").isFalse();
    }
  }

  @Test
  void anAdoptedRegistrysWorkloadsAreOwnedFromThenOnAlsoAfterAReopen() {
    String other = UUID.randomUUID().toString();
    try (Registry registry = Registry.open(RegistryConfig.at(data))) {
      assertThat(registry.identity().adopt(other)).isTrue();
      assertThat(registry.identity().adopt(other)).as("adopted already").isFalse();
      assertThat(registry.identity().get().owns(other)).isTrue();
    }
    try (Registry registry = Registry.open(RegistryConfig.at(data))) {
      assertThat(registry.identity().get().owns(other)).isTrue();
    }
  }

  @Test
  void adoptingUnlabelledOwnsBerthsWorkloadsThatCarryNoRegistryId() {
    try (Registry registry = Registry.open(RegistryConfig.at(data))) {
      assertThat(registry.identity().adopt(RegistryIdentity.UNLABELLED)).isTrue();
      assertThat(registry.identity().get().owns(null)).isTrue();
    }
    try (Registry registry = Registry.open(RegistryConfig.at(data))) {
      assertThat(registry.identity().get().claimsUnlabelled()).isTrue();
    }
  }

  @Test
  void adoptingWhatIsNotARegistryIdIsRefusedNamingTheField() {
    try (Registry registry = Registry.open(RegistryConfig.at(data))) {
      assertThatThrownBy(() -> registry.identity().adopt("web; rm -rf /"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("registry: must be a registry id");
      assertThat(registry.identity().get().adopted()).isEmpty();
    }
  }

  @Test
  void adoptingItsOwnIdIsRefused() {
    try (Registry registry = Registry.open(RegistryConfig.at(data))) {
      String own = registry.identity().get().id();
      assertThatThrownBy(() -> registry.identity().adopt(own))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("this registry's own id");
    }
  }

  @Test
  void aSecondOpenOfTheSameDataDirectoryIsRefusedAsLocked() {
    try (Registry registry = Registry.open(RegistryConfig.at(data))) {
      assertThatThrownBy(() -> Registry.open(RegistryConfig.at(data)))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("is locked by another process");
      assertThat(registry.services().list()).as("the first is unharmed").isEmpty();
    }
  }
}
