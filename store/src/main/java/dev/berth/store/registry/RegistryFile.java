package dev.berth.store.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.h2.api.ErrorCode;

/**
 * The registry's file: checked before it is trusted, and watched while it is open.
 *
 * <p>A file that is not the registry must never open as an empty one: the node would then believe
 * nothing is declared, and remove every workload. H2 itself opens a zero-byte file as a new
 * database without a word, so the checks come first.
 */
final class RegistryFile {

  /** H2's MVStore writes whole blocks of this size, the two file headers first. */
  private static final int BLOCK = 4096;

  private static final String H2_HEADER = "H:2,";

  /** The tables that make an H2 database a Berth registry. */
  private static final Set<String> BERTH_TABLES = Set.of("flyway_schema_history", "SERVICES");

  static final String WHAT_TO_DO =
      " Restore the registry from a backup (see docs/running-on-a-node.md, Backups), or, to start"
          + " this node with nothing declared, move the file away: a new registry leaves the old"
          + " one's workloads running and reports them as foreign.";

  private final Path path;
  private final Object fileKey;

  private RegistryFile(Path path, Object fileKey) {
    this.path = path;
    this.fileKey = fileKey;
  }

  /**
   * Refuses a file at {@code path} that cannot be a registry: empty, cut short, or not an H2
   * database at all. No file is fine: a new registry is made.
   *
   * @return whether there is a file
   */
  static boolean refuseIfNotARegistry(Path path) {
    long size;
    byte[] start;
    try {
      if (!Files.exists(path)) {
        return false;
      }
      size = Files.size(path);
      try (InputStream in = Files.newInputStream(path)) {
        start = in.readNBytes(H2_HEADER.length());
      }
    } catch (IOException e) {
      throw new RegistryException("cannot read the registry file " + path + ": " + e, e);
    }
    if (size == 0) {
      throw new RegistryException(
          "the registry file "
              + path
              + " is empty (0 bytes): it holds no registry (a full disk or a failed copy leaves"
              + " such a file), and Berth will not take it for a node with nothing declared."
              + WHAT_TO_DO);
    }
    if (!new String(start, StandardCharsets.ISO_8859_1).equals(H2_HEADER)) {
      throw new RegistryException(
          "the registry file "
              + path
              + " is not a registry: it is not an H2 database file (it does not start with \"H:2,\")."
              + WHAT_TO_DO);
    }
    if (size < 2L * BLOCK || size % BLOCK != 0) {
      throw new RegistryException(
          "the registry file "
              + path
              + " is truncated: "
              + size
              + " bytes, where a registry file is a whole number of "
              + BLOCK
              + "-byte blocks, at least two."
              + WHAT_TO_DO);
    }
    return true;
  }

  /**
   * Refuses an H2 database that holds tables, but not Berth's (another program's database), and a
   * file in which H2 finds no table at all: H2 takes a file whose chunks it cannot find (cut short
   * at a block) for a new, empty database.
   *
   * @param readOnlyUrl the file's JDBC URL, opening it read-only
   */
  static void refuseIfForeign(String readOnlyUrl, Path path) {
    List<String> tables = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(readOnlyUrl, "berth", "");
        ResultSet rows =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES"
                        + " WHERE TABLE_SCHEMA = 'PUBLIC' ORDER BY TABLE_NAME")) {
      while (rows.next()) {
        tables.add(rows.getString(1));
      }
    } catch (SQLException e) {
      // Read-only, H2 refuses to write the new store it would make of a file whose chunks it
      // cannot find: that file is damaged too.
      if (e.getErrorCode() == ErrorCode.FILE_CORRUPTED_1
          || e.getErrorCode() == ErrorCode.DATABASE_IS_READ_ONLY) {
        throw new RegistryException(
            "the registry file "
                + path
                + " is damaged (cut short or overwritten): H2 cannot read it."
                + WHAT_TO_DO,
            e);
      }
      throw new RegistryException(
          "cannot open the registry at " + path + ": " + Sql.firstLine(e.getMessage()), e);
    }
    if (tables.isEmpty()) {
      throw new RegistryException(
          "the registry file "
              + path
              + " is damaged (cut short or overwritten): H2 finds nothing in it."
              + WHAT_TO_DO);
    }
    if (!tables.isEmpty() && !tables.containsAll(BERTH_TABLES)) {
      throw new RegistryException(
          "the registry file "
              + path
              + " is not a registry: it is another program's H2 database (tables "
              + String.join(", ", tables.subList(0, Math.min(5, tables.size())))
              + (tables.size() > 5 ? ", ..." : "")
              + ")."
              + WHAT_TO_DO);
    }
  }

  /** The file just opened, to be watched from now on. */
  static RegistryFile opened(Path path) {
    return new RegistryFile(path, fileKey(path));
  }

  Path path() {
    return path;
  }

  /**
   * What is wrong with the file now, or null: removed (with its data directory, say) or replaced
   * while open. Writes then go into an unlinked file, and are gone at the next start.
   */
  String problem() {
    Object now;
    try {
      now = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    } catch (NoSuchFileException e) {
      return "the registry file "
          + path
          + " was removed while the agent ran (with its data directory?): what is written now would"
          + " be lost at the next start, so nothing more is acknowledged. Put the data directory"
          + " back (from a backup), then restart the agent";
    } catch (IOException e) {
      return "the registry file " + path + " cannot be checked: " + e;
    }
    if (fileKey != null && !fileKey.equals(now)) {
      return "the registry file "
          + path
          + " was replaced by another file while the agent ran: what is written now would be"
          + " lost at the next start, so nothing more is acknowledged. Restart the agent to open"
          + " the file that is there now";
    }
    return null;
  }

  /** Whether {@link #path()} still names the file that was opened (not removed, not replaced). */
  boolean unchanged() {
    try {
      return fileKey != null
          && fileKey.equals(Files.readAttributes(path, BasicFileAttributes.class).fileKey());
    } catch (IOException e) {
      return false;
    }
  }

  private static Object fileKey(Path path) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      throw new RegistryException("cannot read the registry file " + path + ": " + e, e);
    }
  }
}
