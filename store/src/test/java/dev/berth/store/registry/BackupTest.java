package dev.berth.store.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupTest {

  @TempDir Path dataDirectory;
  @TempDir Path elsewhere;

  @Test
  void aBackupTakenWhileServingRestoresWhatWasDeclared() {
    Path backup = elsewhere.resolve("registry-backup.zip");
    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      registry.services().apply(ApplyRequest.of("test", List.of(Specs.everything("mc-proxy"))));
      registry.backup(backup);
      registry.services().delete("mc-proxy", null);
    }

    var keptAside = Registry.restore(backup, dataDirectory);

    assertThat(keptAside).isPresent();
    assertThat(keptAside.get()).exists();
    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      assertThat(registry.services().get("mc-proxy").orElseThrow().spec())
          .isEqualTo(Specs.everything("mc-proxy"));
    }
  }

  @Test
  void aBackupRestoresIntoAnEmptyDataDirectory() {
    Path backup = elsewhere.resolve("backup.zip");
    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      registry.services().apply(ApplyRequest.of("test", List.of(Specs.web("shop"))));
      registry.backup(backup);
    }
    Path fresh = elsewhere.resolve("new-node");

    assertThat(Registry.restore(backup, fresh)).isEmpty();

    try (Registry registry = Registry.open(RegistryConfig.at(fresh))) {
      assertThat(registry.services().names()).containsExactly("shop");
    }
  }

  @Test
  void restoreIsRefusedWhileTheRegistryIsOpen() {
    Path backup = elsewhere.resolve("backup.zip");
    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      registry.services().apply(ApplyRequest.of("test", List.of(Specs.web("shop"))));
      registry.backup(backup);

      assertThatThrownBy(() -> Registry.restore(backup, dataDirectory))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("is in use: stop the agent before restoring a backup");
      assertThat(registry.services().names()).containsExactly("shop");
    }
  }

  @Test
  void aFileThatIsNotABackupChangesNothing() throws Exception {
    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      registry.services().apply(ApplyRequest.of("test", List.of(Specs.web("shop"))));
    }
    Path notABackup = Files.writeString(elsewhere.resolve("notes.zip"), "not a zip");

    assertThatThrownBy(() -> Registry.restore(notABackup, dataDirectory))
        .isInstanceOf(RegistryException.class);

    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      assertThat(registry.services().names()).containsExactly("shop");
    }
  }
}
