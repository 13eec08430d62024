package dev.berth.store.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.spec.model.DesiredState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry that cannot keep what is written to it says so: writes fail with a {@link
 * RegistryUnavailableException} that names the cause (never SQL), nothing more is acknowledged,
 * {@link Registry#health()} reports the fault until the registry is opened again, and a registry
 * that cannot be written does not open.
 */
class StorageFaultTest {

  @TempDir Path temp;

  @Test
  void aDataDirectoryRemovedWhileOpenRefusesTheNextWriteAndSaysWhy() throws IOException {
    Path data = temp.resolve("data");
    try (Registry registry = Registry.open(RegistryConfig.at(data))) {
      registry.services().apply(ApplyRequest.of("t", List.of(Specs.web("shop"))));
      deleteTree(data);

      assertThatThrownBy(
              () -> registry.services().apply(ApplyRequest.of("t", List.of(Specs.web("cart")))))
          .isInstanceOf(RegistryUnavailableException.class)
          .hasMessageContaining(data.resolve("registry.mv.db").toString())
          .hasMessageContaining("was removed while the agent ran");
      assertThat(registry.health().ok()).isFalse();
      assertThat(registry.health().fault()).contains("was removed");
    }
  }

  @Test
  void aDataDirectoryRemovedWhileNothingIsWrittenShowsInHealth() throws IOException {
    Path data = temp.resolve("data");
    try (Registry registry = Registry.open(RegistryConfig.at(data))) {
      assertThat(registry.health()).isEqualTo(RegistryHealth.OK);
      deleteTree(data);

      assertThat(registry.health().ok()).isFalse();
      assertThat(registry.health().since()).isNotNull();
    }
  }

  @Test
  void aFaultStaysAndEveryLaterWriteFailsFastWithIt() throws IOException {
    Path data = temp.resolve("data");
    try (Registry registry = Registry.open(RegistryConfig.at(data))) {
      registry.services().apply(ApplyRequest.of("t", List.of(Specs.web("shop"))));
      deleteTree(data);
      Files.createDirectories(data); // even with a directory there again
      assertThat(registry.health().ok()).isFalse();

      assertThatThrownBy(() -> registry.services().delete("shop", null))
          .isInstanceOf(RegistryUnavailableException.class);
      assertThatThrownBy(
              () -> registry.services().setDesiredState("shop", DesiredState.STOPPED, null))
          .isInstanceOf(RegistryUnavailableException.class);
      assertThatThrownBy(
              () ->
                  registry
                      .events()
                      .record("shop", "web", ServiceEvent.Type.NORMAL, "Seen", "a status write"))
          .isInstanceOf(RegistryUnavailableException.class);
      // What was declared and observed before the fault is still there to read.
      assertThat(registry.services().names()).containsExactly("shop");
      assertThat(registry.status().of("shop")).isEmpty();
      assertThat(registry.events().of("shop")).isNotNull();
      assertThat(registry.status().conditions("shop")).isEmpty();
    }
  }

  @Test
  void aRegistryFileReplacedWhileOpenRefusesTheNextWrite() throws IOException {
    Path data = temp.resolve("data");
    try (Registry registry = Registry.open(RegistryConfig.at(data))) {
      Path file = registry.file();
      Path moved = temp.resolve("moved.mv.db");
      Files.move(file, moved);
      Files.copy(moved, file);

      assertThatThrownBy(
              () -> registry.services().apply(ApplyRequest.of("t", List.of(Specs.web("cart")))))
          .isInstanceOf(RegistryUnavailableException.class)
          .hasMessageContaining("was replaced by another file");
    }
  }

  @Test
  void aFullDiskRefusesWritesWithTheCause() throws IOException {
    Tmpfs.require();
    Path data = temp.resolve("full");
    try (Tmpfs tmpfs = Tmpfs.mount(data, "4m")) {
      Registry registry = Registry.open(RegistryConfig.at(data));
      try {
        registry.services().apply(ApplyRequest.of("t", List.of(Specs.web("shop"))));
        tmpfs.fill();

        assertThatThrownBy(() -> applyUntilRefused(registry))
            .isInstanceOf(RegistryUnavailableException.class)
            .hasMessageContaining(data.resolve("registry.mv.db").toString())
            .hasMessageContaining("nothing more is acknowledged")
            .hasMessageNotContaining("INSERT")
            .hasMessageNotContaining("MERGE");
        assertThat(registry.health().ok()).isFalse();
        // H2 closed the database after the failed write: every later call says so, fast.
        assertThatThrownBy(() -> registry.services().delete("shop", null))
            .isInstanceOf(RegistryUnavailableException.class);
      } finally {
        registry.close();
      }
    }
  }

  @Test
  void aRegistryThatCannotBeWrittenDoesNotOpen() throws IOException {
    Tmpfs.require();
    Path data = temp.resolve("ro-at-start");
    try (Tmpfs tmpfs = Tmpfs.mount(data, "8m")) {
      try (Registry registry = Registry.open(RegistryConfig.at(data))) {
        registry.services().apply(ApplyRequest.of("t", List.of(Specs.web("shop"))));
      }
      tmpfs.remountReadOnly();

      assertThatThrownBy(() -> Registry.open(RegistryConfig.at(data)).close())
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("cannot write in the registry's directory " + data)
          .hasMessageContaining("Read-only file system");
    }
  }

  /** A full disk may still take a small write into space H2 holds: write until it refuses. */
  private static void applyUntilRefused(Registry registry) {
    for (int i = 0; i < 10_000; i++) {
      registry
          .services()
          .apply(
              ApplyRequest.of("t", List.of(Specs.web("shop").withComment("x".repeat(1000) + i))));
      registry
          .status()
          .putAll(
              List.of(
                  new ComponentStatus(
                      "shop",
                      "web",
                      "container",
                      "running",
                      "id",
                      "img:1",
                      "h",
                      1,
                      null,
                      Instant.now(),
                      "m".repeat(500),
                      Instant.now())));
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
