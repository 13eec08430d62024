package dev.berth.store.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Properties;

/**
 * What a registry backup holds, written into it beside the registry's file so that a restore can
 * tell what it is about to put back, and refuse a backup it cannot open, before it touches
 * anything.
 *
 * @param format the backup file's layout, {@link #FORMAT} for the ones this Berth writes; 0 for a
 *     bare zip of the registry file (written by Berth before manifests), whose other fields are
 *     read from the file itself
 * @param berthVersion the version of the Berth that took it ({@code unknown} in format 0)
 * @param schemaVersion the registry's schema version (its last migration), e.g. {@code 8}
 * @param takenAt when it was taken
 * @param registryId the registry's id, which its workloads carry; empty for a registry older than
 *     ids
 * @param services how many services were declared in it
 * @param newestChange when the newest of those declarations was made, or null if none was
 */
public record BackupManifest(
    int format,
    String berthVersion,
    String schemaVersion,
    Instant takenAt,
    String registryId,
    int services,
    Instant newestChange) {

  /** The layout this Berth writes: a zip holding {@link #ENTRY}, then the registry's file. */
  public static final int FORMAT = 1;

  /** The manifest's name in the backup's zip. */
  static final String ENTRY = "berth-backup.properties";

  /** Writes it as a properties file (UTF-8), first in the backup. */
  void write(OutputStream out) throws IOException {
    Properties properties = new Properties();
    properties.setProperty("format", String.valueOf(format));
    properties.setProperty("berth_version", berthVersion);
    properties.setProperty("schema_version", schemaVersion);
    properties.setProperty("taken_at", takenAt.toString());
    properties.setProperty("registry_id", registryId);
    properties.setProperty("services", String.valueOf(services));
    if (newestChange != null) {
      properties.setProperty("newest_change", newestChange.toString());
    }
    StringWriter text = new StringWriter();
    properties.store(text, "Berth registry backup");
    out.write(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads a manifest written by {@link #write}.
   *
   * @throws RegistryException naming the field that is missing or malformed
   */
  static BackupManifest read(InputStream in, String where) throws IOException {
    Properties properties = new Properties();
    properties.load(new StringReader(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    int format = integer(properties, "format", where);
    if (format > FORMAT) {
      throw new RegistryException(
          where
              + " is a backup of format "
              + format
              + ", written by a newer Berth ("
              + properties.getProperty("berth_version", "unknown")
              + "); this one reads format "
              + FORMAT
              + " and older. Restore it with that Berth or a newer one; nothing was changed");
    }
    String newest = properties.getProperty("newest_change");
    return new BackupManifest(
        format,
        required(properties, "berth_version", where),
        required(properties, "schema_version", where),
        instant(required(properties, "taken_at", where), "taken_at", where),
        properties.getProperty("registry_id", ""),
        integer(properties, "services", where),
        newest == null ? null : instant(newest, "newest_change", where));
  }

  private static String required(Properties properties, String key, String where) {
    String value = properties.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new RegistryException(where + ": its manifest " + ENTRY + " has no " + key);
    }
    return value.strip();
  }

  private static int integer(Properties properties, String key, String where) {
    String value = required(properties, key, where);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new RegistryException(
          where + ": its manifest's " + key + " must be a whole number, was " + value, e);
    }
  }

  private static Instant instant(String value, String key, String where) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new RegistryException(
          where + ": its manifest's " + key + " must be an instant (ISO-8601), was " + value, e);
    }
  }
}
