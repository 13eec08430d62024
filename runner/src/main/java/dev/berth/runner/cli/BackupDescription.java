package dev.berth.runner.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** How {@code backup} and {@code restore} say what a backup holds, and why a file failed. */
final class BackupDescription {

  private BackupDescription() {}

  /**
   * {@code 12 services (newest declared 2026-12-02T20:40:01Z), registry 9d0f..., schema 8, taken
   * 2026-12-02T20:45:12Z by Berth 1.4.0}.
   */
  static String holds(
      int services,
      String newestChange,
      String registryId,
      String schemaVersion,
      String takenAt,
      String berthVersion) {
    return Formats.count(services, "service", "services")
        + (services == 0 ? "" : " (newest declared " + newestChange + ")")
        + ", registry "
        + (registryId.isEmpty() ? "-" : registryId)
        + ", schema "
        + schemaVersion
        + ", taken "
        + takenAt
        + " by Berth "
        + berthVersion;
  }

  /**
   * Why a file could not be written beside the backup, in words: the JDK's exceptions name only the
   * file (here a temporary one the user never named).
   */
  static String why(Exception e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such directory";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
