package dev.berth.store.registry;

import java.nio.file.Path;

/**
 * A backup put in place of a data directory's registry.
 *
 * @param backup what the backup holds
 * @param keptAside where the replaced registry file was kept ({@code
 *     registry.mv.db.before-restore-<time>}), or null if the directory had none
 */
public record RestoredBackup(BackupManifest backup, Path keptAside) {}
