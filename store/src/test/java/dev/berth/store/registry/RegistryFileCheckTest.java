package dev.berth.store.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file that is not the registry never opens as an empty registry (which would make the node
 * remove every workload as undeclared): the open is refused, says which fault it is and what to do,
 * and leaves the file as it was.
 */
class RegistryFileCheckTest {

  @TempDir Path data;

  @Test
  void anEmptyRegistryFileIsRefusedAndLeftAsItWas() throws IOException {
    Path file = Files.createFile(data.resolve("registry.mv.db"));

    assertThatThrownBy(() -> Registry.open(RegistryConfig.at(data)))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("is empty (0 bytes)")
        .hasMessageContaining("Restore the registry from a backup");
    assertThat(Files.size(file)).isZero();
  }

  @Test
  void aRegistryFileCutShortIsRefusedAsTruncated() throws IOException {
    Path file = registryWithAService();
    long size = Files.size(file);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(size / 2 + 100);
    }

    assertThatThrownBy(() -> Registry.open(RegistryConfig.at(data)))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("is truncated")
        .hasMessageContaining("Restore the registry from a backup");
    assertThat(Files.size(file)).isEqualTo(size / 2 + 100);
  }

  @Test
  void aRegistryFileCutAtABlockIsRefusedAsDamaged() throws IOException {
    Path file = registryWithAService();
    long cut = 3 * 4096; // the headers and a little: the chunks they point to are gone
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(cut);
    }
    byte[] before = Files.readAllBytes(file);

    assertThatThrownBy(() -> Registry.open(RegistryConfig.at(data)))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("is damaged (cut short or overwritten)")
        .hasMessageContaining("Restore the registry from a backup");
    assertThat(Files.readAllBytes(file)).as("the file as it was").isEqualTo(before);
  }

  @Test
  void aFileThatIsNotAnH2DatabaseIsRefused() throws IOException {
    Files.writeString(data.resolve("registry.mv.db"), "services:\n  - web\n".repeat(1000));

    assertThatThrownBy(() -> Registry.open(RegistryConfig.at(data)))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("is not a registry: it is not an H2 database file");
  }

  @Test
  void anotherProgramsH2DatabaseIsRefusedAndNotMigrated() throws Exception {
    String url = "jdbc:h2:file:" + data.toAbsolutePath().resolve("registry");
    try (Connection connection = DriverManager.getConnection(url, "berth", "")) {
      connection.createStatement().execute("CREATE TABLE invoices (id INT PRIMARY KEY)");
      connection.createStatement().execute("SHUTDOWN");
    }

    assertThatThrownBy(() -> Registry.open(RegistryConfig.at(data)))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("another program's H2 database (tables INVOICES)");
    try (Connection connection = DriverManager.getConnection(url, "berth", "")) {
      var tables =
          connection
              .createStatement()
              .executeQuery(
                  "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'");
      tables.next();
      assertThat(tables.getInt(1)).as("no Berth table was added").isEqualTo(1);
    }
  }

  @Test
  void noFileAtAllMakesANewRegistry() {
    try (Registry registry = Registry.open(RegistryConfig.at(data))) {
      assertThat(registry.services().list()).isEmpty();
    }
  }

  @Test
  void aRegistryClosedCleanlyOrKilledOpensAgain() throws IOException {
    Path file = registryWithAService();
    byte[] header = new byte[4];
    try (var in = Files.newInputStream(file)) {
      assertThat(in.read(header)).isEqualTo(4);
    }
    assertThat(new String(header, StandardCharsets.ISO_8859_1)).isEqualTo("H:2,");
    try (Registry registry = Registry.open(RegistryConfig.at(data))) {
      assertThat(registry.services().names()).containsExactly("shop");
    }
  }

  private Path registryWithAService() {
    try (Registry registry = Registry.open(RegistryConfig.at(data))) {
      for (int i = 0; i < 200; i++) {
        registry
            .services()
            .apply(ApplyRequest.of("t", List.of(Specs.web("shop").withComment("v" + i))));
        registry.events().record("shop", "web", ServiceEvent.Type.NORMAL, "Seen", "event " + i);
      }
      return registry.file();
    }
  }
}
