package dev.berth.runner.cli;

import dev.berth.runner.config.AgentConfigLoader;
import dev.berth.runner.config.ConfigException;
import dev.berth.store.registry.BackupManifest;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryException;
import dev.berth.store.registry.RestoredBackup;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth restore FILE}: puts a backup in place of a stopped agent's registry. */
@Command(
    name = "restore",
    customSynopsis = "berth restore FILE [--data-dir DIR | --config FILE]",
    header = "Restore a backup into a stopped agent's data directory.",
    description = {
      "Replaces the registry in the agent's data directory with the one in FILE (written by"
          + " `berth backup`). Refused while an agent runs on that directory, naming its pid.",
      "FILE is checked whole first (its checksums, that it is a registry, that its schema is not"
          + " newer than this Berth's); if anything is wrong, nothing is changed. The registry it"
          + " replaces is kept beside it as registry.mv.db.before-restore-<time>, and the swap is"
          + " one rename: interrupted, the directory holds the old registry or the new one.",
      "When the agent starts again it makes the node match the backup: services declared after"
          + " it was taken are deleted, and their workloads removed.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  systemctl stop berth",
      "  berth restore /var/backups/berth-2026-12-01.zip --config /etc/berth/berth.toml",
      "  systemctl start berth",
      "  berth restore berth.zip --data-dir /var/lib/berth"
    })
final class RestoreCommand implements Callable<Integer> {

  @Mixin HelpOption help;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The backup to restore.")
  Path file;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Where where;

  /** Which data directory: named, or the agent's configuration's; ./berth-data by default. */
  static final class Where {
    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        description = "The agent's data directory (data_dir).")
    Path dataDir;

    @Option(
        names = {"-c", "--config"},
        paramLabel = "FILE",
        description =
            "The agent's configuration (TOML), whose data_dir it is. Without either option, the"
                + " agent's default: ./berth-data.")
    Path config;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Path directory = dataDirectory();
      RestoredBackup restored = Registry.restore(file.toAbsolutePath(), directory);
      BackupManifest backup = restored.backup();
      out.println("restored " + file + " into " + directory);
      out.println(
          BackupDescription.holds(
              backup.services(),
              backup.newestChange() == null
                  ? "-"
                  : backup.newestChange().truncatedTo(ChronoUnit.SECONDS).toString(),
              backup.registryId(),
              backup.schemaVersion(),
              backup.takenAt().truncatedTo(ChronoUnit.SECONDS).toString(),
              backup.berthVersion()));
      if (restored.keptAside() != null) {
        out.println("the registry it replaced is kept as " + restored.keptAside());
      }
      out.println(
          "start the agent: it makes the node match the backup (services declared after it are"
              + " deleted, their workloads removed)");
      return ExitCodes.OK;
    } catch (ConfigException e) {
      err.println("error: the configuration is refused:");
      err.println(e.getMessage());
      return ExitCodes.FAILED;
    } catch (RegistryException e) {
      err.println("error: " + e.getMessage());
      return ExitCodes.FAILED;
    } finally {
      out.flush();
      err.flush();
    }
  }

  private Path dataDirectory() {
    Path workingDir = Path.of("").toAbsolutePath();
    if (where != null && where.dataDir != null) {
      return where.dataDir.toAbsolutePath();
    }
    if (where != null && where.config != null) {
      // Only data_dir is used: the listeners' settings are not checked as the agent would.
      return AgentConfigLoader.load(where.config, workingDir, true).dataDir();
    }
    return AgentConfigLoader.defaults(workingDir).dataDir();
  }
}
