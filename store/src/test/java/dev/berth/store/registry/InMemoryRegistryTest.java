package dev.berth.store.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry held in memory: same schema and behaviour, no file, nothing shared. */
class InMemoryRegistryTest {

  @Test
  void itHoldsWhatAFileRegistryHolds() {
    try (Registry registry = Registry.open(RegistryConfig.inMemory())) {
      registry.services().apply(ApplyRequest.of("test", List.of(Specs.everything("mc-proxy"))));
      registry.ports().allocate(new PortKey("mc-proxy", "proxy", "web"), 20001);
      registry.events().record("mc-proxy", null, ServiceEvent.Type.NORMAL, "Created", "created");
      registry
          .ignored()
          .replaceAll(
              List.of(IgnoredWorkload.observed("podman", "1", "x", null, null, null, null)));

      assertThat(registry.services().get("mc-proxy").orElseThrow().spec())
          .isEqualTo(Specs.everything("mc-proxy"));
      assertThat(registry.services().readAllFromDatabase()).isEqualTo(registry.services().list());
      assertThat(registry.ports().readAllFromDatabase()).hasSize(1);
      assertThat(registry.events().of("mc-proxy")).hasSize(1);
      assertThat(registry.ignored().list()).hasSize(1);
    }
  }

  @Test
  void twoInMemoryRegistriesShareNothing() {
    RegistryConfig config = RegistryConfig.inMemory();
    try (Registry first = Registry.open(config);
        Registry second = Registry.open(config)) {
      first.services().apply(ApplyRequest.of("test", List.of(Specs.web("shop"))));

      assertThat(second.services().readAllFromDatabase()).isEmpty();
      second.services().apply(ApplyRequest.of("test", List.of(Specs.web("shop"))));
      assertThat(second.services().get("shop").orElseThrow().generation()).isEqualTo(1);
    }
  }

  @Test
  void reopeningStartsEmpty() {
    RegistryConfig config = RegistryConfig.inMemory();
    try (Registry registry = Registry.open(config)) {
      registry.services().apply(ApplyRequest.of("test", List.of(Specs.web("shop"))));
    }

    try (Registry registry = Registry.open(config)) {
      assertThat(registry.services().readAllFromDatabase()).isEmpty();
    }
  }

  @Test
  void itHasNoFileToNameOrBackUp(@TempDir Path directory) {
    try (Registry registry = Registry.open(RegistryConfig.inMemory())) {
      assertThatThrownBy(registry::file)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("an in-memory registry has no file");
      assertThatThrownBy(() -> registry.backup(directory.resolve("backup.zip"), "test"))
          .isInstanceOf(IllegalStateException.class);
    }
  }
}
