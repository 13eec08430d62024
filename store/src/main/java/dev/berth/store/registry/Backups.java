package dev.berth.store.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Backups of the registry: taken online, while it serves; restored offline, when no agent holds the
 * data directory.
 *
 * <p>A backup is a zip of two entries: the {@link BackupManifest} first, then the registry's file.
 * The file comes from H2's {@code BACKUP TO}, which copies the store as of one committed version
 * without locking anything (MVCC): every transaction is in it whole or not at all, and the agent
 * keeps serving meanwhile. That copy is then opened on its own, described for the manifest and
 * rewritten compact ({@code SHUTDOWN COMPACT}), so that a restore puts back a small file that was
 * closed cleanly, and a restore is a rename: quick, and exact, page for page what was declared.
 */
final class Backups {

  static final String FILE = Database.NAME + ".mv.db";

  private static final String USER = "berth";

  /** What backups and restores name their working files in a data directory with. */
  static final String BACKUP_PREFIX = ".berth-backup-";

  private static final String RESTORE_PREFIX = ".berth-restore-";

  /** When a replaced registry was kept aside, in its name: sorts in time order. */
  private static final DateTimeFormatter ASIDE_STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Backups() {}

  /**
   * Writes a backup of {@code database} to {@code target}: whole or not at all (written beside it,
   * synced, then renamed over it).
   */
  static BackupManifest backup(Database database, Path target, String berthVersion, Clock clock) {
    Path file = target.toAbsolutePath();
    Path work = workDirectory(file.getParent(), BACKUP_PREFIX, "write the backup " + file);
    try {
      Path h2Zip = work.resolve("h2-backup.zip");
      Instant takenAt = clock.instant();
      database.read(
          connection -> {
            try (Statement statement = connection.createStatement()) {
              statement.execute("BACKUP TO '" + h2Zip.toString().replace("'", "''") + "'");
            }
            return null;
          });
      Path copy = work.resolve(FILE);
      try (ZipFile archive = new ZipFile(h2Zip.toFile())) {
        copyEntry(archive, FILE, copy, h2Zip);
      }
      Files.delete(h2Zip);
      BackupManifest manifest = describeAndCompact(copy, berthVersion, takenAt);
      Path staged = work.resolve("backup.zip");
      try (OutputStream out = Files.newOutputStream(staged);
          ZipOutputStream zip = new ZipOutputStream(out)) {
        zip.putNextEntry(new ZipEntry(BackupManifest.ENTRY));
        manifest.write(zip);
        zip.closeEntry();
        zip.putNextEntry(new ZipEntry(FILE));
        Files.copy(copy, zip);
        zip.closeEntry();
      }
      // What is declared, with its environment: readable by its owner only, as the registry is.
      Database.ownerOnly(staged);
      sync(staged);
      Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      sync(file.getParent());
      return manifest;
    } catch (IOException e) {
      throw new RegistryException("cannot write the backup " + file + ": " + describe(e), e);
    } finally {
      deleteTree(work);
    }
  }

  /**
   * Replaces the registry in {@code dataDirectory} with the one in {@code backup}: see {@link
   * Registry#restore}.
   */
  static RestoredBackup restore(Path backup, Path dataDirectory, Clock clock) {
    Path zip = backup.toAbsolutePath();
    Path directory = dataDirectory.toAbsolutePath();
    if (!Files.isRegularFile(zip)) {
      throw new RegistryException("no backup file at " + zip);
    }
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new RegistryException(
          "cannot create the data directory " + directory + ": " + describe(e), e);
    }
    RegistryLock lock;
    try {
      lock = RegistryLock.take(directory);
    } catch (RegistryException e) {
      throw new RegistryException(
          "cannot restore while an agent runs: "
              + e.getMessage()
              + ". Stop it first (systemctl stop berth); nothing was changed",
          e);
    }
    boolean replaced = false;
    Path work = null;
    try {
      work = workDirectory(directory, RESTORE_PREFIX, "restore into " + directory);
      Path staged = work.resolve(FILE);
      BackupManifest manifest = unpack(zip, staged);
      manifest = check(staged, zip, manifest);
      Path live = directory.resolve(FILE);
      Database.ownerOnly(staged);
      sameOwner(staged, Files.exists(live) ? live : directory);
      Path aside = null;
      if (Files.exists(live)) {
        aside = directory.resolve(FILE + ".before-restore-" + ASIDE_STAMP.format(clock.instant()));
        keepAside(live, aside);
      }
      // The one step that changes the registry: a rename, so that whatever interrupts the restore
      // leaves either the old file or the new one in place, never a part of either.
      Files.move(staged, live, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      replaced = true;
      sync(directory);
      return new RestoredBackup(manifest, aside);
    } catch (IOException e) {
      throw new RegistryException(
          "restoring " + zip + " failed: " + describe(e) + "; the registry was not replaced", e);
    } finally {
      if (work != null) {
        deleteTree(work);
      }
      // The restored file was closed cleanly when the backup was made; a file left in place after
      // an unclean stop must still be rewritten by the next agent, so its mark stays.
      if (replaced || !lock.previousHolderStoppedUncleanly()) {
        lock.closeCleanly();
      } else {
        lock.close();
      }
      // The lock file this restore may have made: the agent must be able to take it.
      sameOwner(directory.resolve(RegistryLock.FILE), directory);
    }
  }

  /**
   * Removes what a backup or a restore killed midway left in {@code directory}: their working
   * directories and the agent's backup file being sent. Only while its lock is held, when neither
   * can be running.
   */
  static void removeLeftovers(Path directory) {
    try (Stream<Path> files = Files.list(directory)) {
      files
          .filter(
              file ->
                  file.getFileName().toString().startsWith(BACKUP_PREFIX)
                      || file.getFileName().toString().startsWith(RESTORE_PREFIX))
          .forEach(Backups::deleteTree);
    } catch (IOException e) {
      // Left for the next open: they only take room.
    }
  }

  /**
   * Extracts the registry's file, checking the zip's structure and every byte against its checksum.
   *
   * @return the manifest, or null for a bare zip of the registry file (format 0)
   */
  private static BackupManifest unpack(Path zip, Path staged) throws IOException {
    try (ZipFile archive = new ZipFile(zip.toFile())) {
      BackupManifest manifest = null;
      ZipEntry entry = archive.getEntry(BackupManifest.ENTRY);
      if (entry != null) {
        try (InputStream in = archive.getInputStream(entry)) {
          manifest = BackupManifest.read(in, "the backup " + zip);
        }
      }
      copyEntry(archive, FILE, staged, zip);
      sync(staged);
      return manifest;
    } catch (ZipException | java.io.EOFException e) {
      throw notABackup(zip, "it is not a whole zip (" + describe(e) + "): cut short or damaged", e);
    }
  }

  /**
   * Opens the unpacked file read-only: refuses what is not a Berth registry, or one of a schema
   * newer than this Berth's, and describes a bare zip of format 0.
   */
  private static BackupManifest check(Path staged, Path zip, BackupManifest manifest) {
    String url = url(staged) + ";ACCESS_MODE_DATA=r";
    try {
      RegistryFile.refuseIfNotARegistry(staged);
      RegistryFile.refuseIfForeign(url, staged);
    } catch (RegistryException e) {
      throw notABackup(
          zip,
          "the registry file in it does not open: "
              + e.getMessage().replace(RegistryFile.WHAT_TO_DO, ""),
          e);
    }
    refuseNewerSchema(url, zip);
    if (manifest != null) {
      return manifest;
    }
    try (Connection connection = DriverManager.getConnection(url, USER, "")) {
      return describe(connection, 0, "unknown", Files.getLastModifiedTime(zip).toInstant());
    } catch (SQLException | IOException e) {
      throw notABackup(zip, "the registry file in it cannot be read: " + describe(e), e);
    }
  }

  private static void refuseNewerSchema(String url, Path zip) {
    MigrationInfoService info;
    try {
      info =
          Flyway.configure()
              .dataSource(url, USER, "")
              .locations("classpath:db/migration")
              .load()
              .info();
    } catch (RuntimeException e) {
      throw notABackup(zip, "its schema history cannot be read: " + describe(e), e);
    }
    MigrationVersion known = newest(info, true);
    MigrationVersion backup = newest(info, false);
    if (backup != null && known != null && backup.compareTo(known) > 0) {
      throw new RegistryException(
          "the backup "
              + zip
              + " holds a registry of schema version "
              + backup
              + ", newer than this Berth's ("
              + known
              + "): it was taken by a newer Berth, and this one would misread it. Restore it with"
              + " that Berth or a newer one; nothing was changed");
    }
  }

  /** The newest migration this Berth knows ({@code resolved}) or the registry had applied. */
  private static MigrationVersion newest(MigrationInfoService info, boolean resolved) {
    return Arrays.stream(info.all())
        .filter(m -> resolved ? m.getState().isResolved() : m.getState().isApplied())
        .map(MigrationInfo::getVersion)
        .filter(v -> v != null)
        .max(Comparator.naturalOrder())
        .orElse(null);
  }

  /** Opens the copy on its own, reads what it holds, and closes it compacted. */
  private static BackupManifest describeAndCompact(Path copy, String berthVersion, Instant takenAt)
      throws IOException {
    try (Connection connection = DriverManager.getConnection(url(copy), USER, "")) {
      BackupManifest manifest = describe(connection, BackupManifest.FORMAT, berthVersion, takenAt);
      try (Statement shutdown = connection.createStatement()) {
        shutdown.execute("SHUTDOWN COMPACT");
      }
      return manifest;
    } catch (SQLException e) {
      throw new IOException("the copy H2 made does not open: " + describe(e), e);
    }
  }

  private static BackupManifest describe(
      Connection connection, int format, String berthVersion, Instant takenAt) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      String schema;
      try (ResultSet row =
          statement.executeQuery(
              "SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\""
                  + " AND \"version\" IS NOT NULL ORDER BY \"installed_rank\" DESC LIMIT 1")) {
        schema = row.next() ? row.getString(1) : "none";
      }
      int services;
      Instant newest;
      try (ResultSet row =
          statement.executeQuery("SELECT COUNT(*), MAX(updated_at) FROM services")) {
        row.next();
        services = row.getInt(1);
        OffsetDateTime updated = row.getObject(2, OffsetDateTime.class);
        newest = updated == null ? null : updated.toInstant();
      }
      String id = "";
      if (hasTable(connection, "REGISTRY_IDENTITY")) {
        try (ResultSet row = statement.executeQuery("SELECT id FROM registry_identity")) {
          id = row.next() ? row.getString(1) : "";
        }
      }
      return new BackupManifest(format, berthVersion, schema, takenAt, id, services, newest);
    }
  }

  private static boolean hasTable(Connection connection, String table) throws SQLException {
    try (ResultSet tables = connection.getMetaData().getTables(null, "PUBLIC", table, null)) {
      return tables.next();
    }
  }

  private static String url(Path file) {
    String name = file.toString();
    return "jdbc:h2:file:"
        + name.substring(0, name.length() - ".mv.db".length())
        + ";DB_CLOSE_ON_EXIT=FALSE";
  }

  private static void copyEntry(ZipFile archive, String name, Path target, Path zip)
      throws IOException {
    ZipEntry entry = archive.getEntry(name);
    if (entry == null) {
      throw notABackup(zip, "it holds no " + name, null);
    }
    try (CheckedInputStream in =
        new CheckedInputStream(archive.getInputStream(entry), new CRC32())) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      if (entry.getCrc() != -1 && in.getChecksum().getValue() != entry.getCrc()) {
        throw notABackup(zip, "its " + name + " does not match its checksum: damaged", null);
      }
    }
  }

  /**
   * A hard link keeps the replaced file under its new name at no cost; a copy where none can be.
   */
  private static void keepAside(Path live, Path aside) throws IOException {
    try {
      Files.createLink(aside, live);
    } catch (UnsupportedOperationException | FileSystemException e) {
      Files.copy(live, aside, StandardCopyOption.COPY_ATTRIBUTES);
    }
    sync(aside);
  }

  /**
   * A restore run as root for an agent of another user must leave a file that agent can open: the
   * owner of the file it replaces (or of the data directory). Only root can give a file away; for
   * anyone else the file is theirs already, as the agent's own files are.
   */
  private static void sameOwner(Path file, Path like) {
    try {
      PosixFileAttributes owner = Files.readAttributes(like, PosixFileAttributes.class);
      PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
      if (!owner.owner().equals(Files.getOwner(file))) {
        view.setOwner(owner.owner());
      }
      if (!owner.group().equals(view.readAttributes().group())) {
        view.setGroup(owner.group());
      }
    } catch (UnsupportedOperationException | IOException e) {
      // No POSIX owners here, or not ours to give: the file stays the restorer's.
    }
  }

  private static RegistryException notABackup(Path zip, String why, Throwable cause) {
    return new RegistryException(
        "the backup " + zip + " cannot be restored: " + why.strip() + "; nothing was changed",
        cause);
  }

  private static Path workDirectory(Path parent, String prefix, String what) {
    try {
      Files.createDirectories(parent);
      // Owner-only (0700) where the file system has modes: it holds a copy of the registry.
      return Files.createTempDirectory(parent, prefix);
    } catch (IOException e) {
      throw new RegistryException("cannot " + what + ": " + describe(e), e);
    }
  }

  private static void sync(Path path) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(Backups::deleteQuietly);
    } catch (IOException e) {
      // Left behind, it is a hidden directory the next backup or restore does not look at.
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // See deleteTree.
    }
  }

  /** An exception in words: a file system error's class says what happened. */
  private static String describe(Throwable e) {
    String message = e.getMessage();
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied: " + message;
    }
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file or directory: " + message;
    }
    if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
      return fs.getReason() + ": " + fs.getFile();
    }
    return message == null ? e.getClass().getSimpleName() : Sql.firstLine(message);
  }
}
