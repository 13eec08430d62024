package dev.berth.store.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.ServiceSpec;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupTest {

  private static final Instant T0 = Instant.parse("2026-12-02T20:00:00Z");

  @TempDir Path dataDirectory;
  @TempDir Path elsewhere;

  @Test
  void aBackupTakenWhileServingRestoresWhatWasDeclared() {
    Path backup = elsewhere.resolve("registry-backup.zip");
    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      registry.services().apply(ApplyRequest.of("test", List.of(Specs.everything("mc-proxy"))));
      registry.backup(backup, "test");
      registry.services().delete("mc-proxy", null);
    }

    RestoredBackup restored = Registry.restore(backup, dataDirectory);

    assertThat(restored.keptAside()).exists();
    assertThat(restored.keptAside().getFileName().toString())
        .startsWith("registry.mv.db.before-restore-");
    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      assertThat(registry.services().get("mc-proxy").orElseThrow().spec())
          .isEqualTo(Specs.everything("mc-proxy"));
    }
  }

  @Test
  void theRegistryKeptAsideIsTheOneReplaced() {
    Path backup = elsewhere.resolve("backup.zip");
    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      registry.services().apply(ApplyRequest.of("test", List.of(Specs.web("shop"))));
      registry.backup(backup, "test");
      registry.services().apply(ApplyRequest.of("test", List.of(Specs.web("later"))));
    }

    Path aside = Registry.restore(backup, dataDirectory).keptAside();

    Path other = elsewhere.resolve("aside");
    try {
      Files.createDirectories(other);
      Files.copy(aside, other.resolve("registry.mv.db"));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    try (Registry registry = Registry.open(RegistryConfig.at(other))) {
      assertThat(registry.services().names()).containsExactlyInAnyOrder("shop", "later");
    }
  }

  @Test
  void aBackupRestoresIntoAnEmptyDataDirectory() {
    Path backup = elsewhere.resolve("backup.zip");
    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      registry.services().apply(ApplyRequest.of("test", List.of(Specs.web("shop"))));
      registry.backup(backup, "test");
    }
    Path fresh = elsewhere.resolve("new-node");

    assertThat(Registry.restore(backup, fresh).keptAside()).isNull();

    try (Registry registry = Registry.open(RegistryConfig.at(fresh))) {
      assertThat(registry.services().names()).containsExactly("shop");
    }
  }

  @Test
  void theManifestSaysWhatTheBackupHolds() throws Exception {
    Path backup = elsewhere.resolve("backup.zip");
    BackupManifest manifest;
    String id;
    try (Registry registry =
        Registry.open(
            RegistryConfig.at(dataDirectory).withClock(Clock.fixed(T0, ZoneOffset.UTC)))) {
      registry.services().apply(ApplyRequest.of("test", List.of(Specs.web("a"), Specs.web("b"))));
      id = registry.identity().get().id();
      manifest = registry.backup(backup, "1.2.3");
    }

    assertThat(manifest)
        .isEqualTo(new BackupManifest(BackupManifest.FORMAT, "1.2.3", "9", T0, id, 2, T0));
    try (ZipFile zip = new ZipFile(backup.toFile())) {
      assertThat(zip.stream().map(e -> e.getName()).toList())
          .containsExactly(BackupManifest.ENTRY, "registry.mv.db");
    }
    assertThat(Registry.restore(backup, elsewhere.resolve("node")).backup()).isEqualTo(manifest);
  }

  @Test
  void theBackupIsReadableByItsOwnerOnly() throws Exception {
    Path backup = elsewhere.resolve("backup.zip");
    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      registry.backup(backup, "test");
    }

    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(backup)))
        .isEqualTo("rw-------");
  }

  @Test
  void theRestoredFileTakesTheOwnerOfTheOneItReplaces() throws Exception {
    Path backup = elsewhere.resolve("backup.zip");
    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      registry.backup(backup, "test");
    }
    var users = dataDirectory.getFileSystem().getUserPrincipalLookupService();
    Path live = dataDirectory.resolve("registry.mv.db");
    try {
      Files.setOwner(live, users.lookupPrincipalByName("nobody"));
    } catch (java.io.IOException e) {
      org.junit.jupiter.api.Assumptions.abort("only root can give a file away: " + e);
    }

    Registry.restore(backup, dataDirectory);

    assertThat(Files.getOwner(live)).isEqualTo(users.lookupPrincipalByName("nobody"));
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(live)))
        .isEqualTo("rw-------");
  }

  @Test
  void aRestoreIntoANewDataDirectoryLeavesFilesItsOwnerCanOpen() throws Exception {
    Path backup = elsewhere.resolve("backup.zip");
    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      registry.backup(backup, "test");
    }
    var users = dataDirectory.getFileSystem().getUserPrincipalLookupService();
    Path fresh = Files.createDirectory(elsewhere.resolve("fresh"));
    try {
      Files.setOwner(fresh, users.lookupPrincipalByName("nobody"));
    } catch (java.io.IOException e) {
      org.junit.jupiter.api.Assumptions.abort("only root can give a file away: " + e);
    }

    Registry.restore(backup, fresh);

    assertThat(Files.getOwner(fresh.resolve("registry.mv.db")))
        .isEqualTo(users.lookupPrincipalByName("nobody"));
    assertThat(Files.getOwner(fresh.resolve("registry.lock")))
        .isEqualTo(users.lookupPrincipalByName("nobody"));
  }

  @Test
  void aBackupTakenDuringAppliesHoldsEveryApplyWholeAndEveryOneAcknowledgedBefore()
      throws Exception {
    Path backup = elsewhere.resolve("backup.zip");
    Set<String> acknowledgedBefore;
    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch started = new CountDownLatch(40);
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int writer = w;
        Thread thread =
            new Thread(
                () -> {
                  for (int i = 0; !stop.get(); i++) {
                    String name = "w" + writer + "-" + i;
                    registry
                        .services()
                        .apply(ApplyRequest.of("writer-" + writer, List.of(threeParts(name))));
                    acknowledged.add(name);
                    started.countDown();
                  }
                });
        thread.start();
        writers.add(thread);
      }
      started.await();
      acknowledgedBefore = Set.copyOf(acknowledged);
      registry.backup(backup, "test");
      stop.set(true);
      for (Thread writer : writers) {
        writer.join();
      }
    }

    Path restoredInto = elsewhere.resolve("node");
    Registry.restore(backup, restoredInto);
    try (Registry registry = Registry.open(RegistryConfig.at(restoredInto))) {
      assertThat(registry.services().names()).containsAll(acknowledgedBefore);
      for (StoredService service : registry.services().list()) {
        assertThat(service.spec()).isEqualTo(threeParts(service.name()));
      }
    }
  }

  @Test
  void restoreIsRefusedWhileTheRegistryIsOpenNamingItsHolder() {
    Path backup = elsewhere.resolve("backup.zip");
    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      registry.services().apply(ApplyRequest.of("test", List.of(Specs.web("shop"))));
      registry.backup(backup, "test");

      assertThatThrownBy(() -> Registry.restore(backup, dataDirectory))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("cannot restore while an agent runs")
          .hasMessageContaining("(pid " + ProcessHandle.current().pid() + ")")
          .hasMessageContaining("nothing was changed");
      assertThat(registry.services().names()).containsExactly("shop");
    }
  }

  @Test
  void aTruncatedBackupChangesNothing() throws Exception {
    Path backup = backupOfShopThenDeclareMore();
    try (RandomAccessFile file = new RandomAccessFile(backup.toFile(), "rw")) {
      file.setLength(file.length() / 2);
    }

    assertThatThrownBy(() -> Registry.restore(backup, dataDirectory))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("cannot be restored: it is not a whole zip")
        .hasMessageContaining("nothing was changed");

    assertUnchanged();
  }

  @Test
  void aBackupWithADamagedByteChangesNothing() throws Exception {
    Path backup = backupOfShopThenDeclareMore();
    byte[] bytes = Files.readAllBytes(backup);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(backup, bytes);

    assertThatThrownBy(() -> Registry.restore(backup, dataDirectory))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("cannot be restored")
        .hasMessageContaining("nothing was changed");

    assertUnchanged();
  }

  @Test
  void aFileThatIsNotABackupChangesNothing() throws Exception {
    backupOfShopThenDeclareMore();
    Path notABackup = Files.writeString(elsewhere.resolve("notes.zip"), "not a zip");

    assertThatThrownBy(() -> Registry.restore(notABackup, dataDirectory))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("is not a whole zip");

    assertUnchanged();
  }

  @Test
  void aBackupOfANewerSchemaIsRefused() throws Exception {
    Path newer = elsewhere.resolve("newer");
    try (Registry registry = Registry.open(RegistryConfig.at(newer))) {
      registry.services().apply(ApplyRequest.of("test", List.of(Specs.web("shop"))));
    }
    // As a newer Berth leaves it: one more migration applied than this one knows.
    try (Connection connection =
            DriverManager.getConnection("jdbc:h2:file:" + newer.resolve("registry"), "berth", "");
        Statement statement = connection.createStatement()) {
      statement.execute(
          "INSERT INTO \"flyway_schema_history\" (\"installed_rank\", \"version\","
              + " \"description\", \"type\", \"script\", \"checksum\", \"installed_by\","
              + " \"execution_time\", \"success\") VALUES (99, '99', 'from the future', 'SQL',"
              + " 'V99__from_the_future.sql', 0, 'berth', 0, TRUE)");
    }
    Path backup = elsewhere.resolve("newer.zip");
    try (Registry registry = Registry.open(RegistryConfig.at(newer))) {
      assertThat(registry.backup(backup, "9.9.9").schemaVersion()).isEqualTo("99");
    }
    backupOfShopThenDeclareMore();

    assertThatThrownBy(() -> Registry.restore(backup, dataDirectory))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("holds a registry of schema version 99, newer than this Berth's (9)")
        .hasMessageContaining("nothing was changed");

    assertUnchanged();
  }

  @Test
  void aBackupOfANewerFormatIsRefusedNamingTheBerthThatWroteIt() throws Exception {
    Path backup = backupOfShopThenDeclareMore();
    Path newer = elsewhere.resolve("format-2.zip");
    try (ZipFile original = new ZipFile(backup.toFile());
        var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(newer))) {
      out.putNextEntry(new java.util.zip.ZipEntry(BackupManifest.ENTRY));
      String manifest =
          new String(
                  original.getInputStream(original.getEntry(BackupManifest.ENTRY)).readAllBytes(),
                  java.nio.charset.StandardCharsets.UTF_8)
              .replace("format=1", "format=2")
              .replace("berth_version=test", "berth_version=9.0.0");
      out.write(manifest.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.putNextEntry(new java.util.zip.ZipEntry("registry.mv.db"));
      original.getInputStream(original.getEntry("registry.mv.db")).transferTo(out);
    }

    assertThatThrownBy(() -> Registry.restore(newer, dataDirectory))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("is a backup of format 2, written by a newer Berth (9.0.0)");

    assertUnchanged();
  }

  @Test
  void aBareZipOfTheRegistryFileIsRestoredToo() throws Exception {
    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      registry.services().apply(ApplyRequest.of("test", List.of(Specs.web("shop"))));
    }
    // What H2's BACKUP alone writes, as Registry.backup did before backups had a manifest.
    Path bare = elsewhere.resolve("bare.zip");
    try (Connection connection =
            DriverManager.getConnection(
                "jdbc:h2:file:" + dataDirectory.resolve("registry"), "berth", "");
        Statement statement = connection.createStatement()) {
      statement.execute("BACKUP TO '" + bare + "'");
    }

    RestoredBackup restored = Registry.restore(bare, elsewhere.resolve("node"));

    assertThat(restored.backup().format()).isZero();
    assertThat(restored.backup().services()).isEqualTo(1);
    try (Registry registry = Registry.open(RegistryConfig.at(elsewhere.resolve("node")))) {
      assertThat(registry.services().names()).containsExactly("shop");
    }
  }

  @Test
  void aBackupThatCannotBeWrittenLeavesNoFile() throws Exception {
    Path notADirectory = Files.writeString(elsewhere.resolve("plain-file"), "x");
    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      assertThatThrownBy(() -> registry.backup(notADirectory.resolve("backup.zip"), "test"))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("cannot write the backup " + notADirectory.resolve("backup.zip"));
    }
    assertThat(Files.readString(notADirectory)).isEqualTo("x");
  }

  @Test
  void whatABackupOrRestoreKilledMidwayLeftIsRemovedAtTheNextOpen() throws Exception {
    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      registry.services().apply(ApplyRequest.of("test", List.of(Specs.web("shop"))));
    }
    Files.createDirectories(dataDirectory.resolve(".berth-backup-123/inner"));
    Files.writeString(dataDirectory.resolve(".berth-backup-456.zip"), "partial");
    Files.createDirectories(dataDirectory.resolve(".berth-restore-789"));

    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      assertThat(registry.services().names()).containsExactly("shop");
    }

    try (var files = Files.list(dataDirectory)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .noneMatch(name -> name.startsWith(".berth-"));
    }
  }

  /** A backup holding "shop"; the registry then declares "later" too. */
  private Path backupOfShopThenDeclareMore() {
    Path backup = elsewhere.resolve("backup.zip");
    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      registry.services().apply(ApplyRequest.of("test", List.of(Specs.web("shop"))));
      registry.backup(backup, "test");
      registry.services().apply(ApplyRequest.of("test", List.of(Specs.web("later"))));
    }
    return backup;
  }

  private void assertUnchanged() throws Exception {
    try (var files = Files.list(dataDirectory)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .noneMatch(name -> name.contains("before-restore") || name.startsWith(".berth-restore"));
    }
    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      assertThat(registry.services().names()).containsExactlyInAnyOrder("shop", "later");
    }
  }

  private static ServiceSpec threeParts(String name) {
    return ServiceSpec.of(
        name,
        ComponentSpec.container("a", "registry.example:5000/a:1"),
        ComponentSpec.container("b", "registry.example:5000/b:1"),
        ComponentSpec.container("c", "registry.example:5000/c:1"));
  }
}
