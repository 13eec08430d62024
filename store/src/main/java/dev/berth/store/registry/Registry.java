package dev.berth.store.registry;

import dev.berth.spec.validation.SpecValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * Berth's source of truth: an embedded H2 database under a data directory, holding what is declared
 * (services, components, routes) and what Berth has learnt and decided (stable ports, observed
 * status, conditions, events, certificates). What was acknowledged survives kill -9 and anything
 * that happens to the container runtime.
 *
 * <p>One process opens a registry at a time (H2 locks the file). Every method is thread-safe.
 *
 * <pre>{@code
 * try (Registry registry = Registry.open(RegistryConfig.at(Path.of("berth-data")))) {
 *   registry.services().apply(ApplyRequest.of("file:/etc/berth/services", specs));
 *   List<StoredService> declared = registry.services().list();
 * }
 * }</pre>
 */
public final class Registry implements AutoCloseable {

  /**
   * How a backup's working files in a data directory are named; what a backup killed midway left is
   * removed at the next open.
   */
  public static final String WORKING_FILE_PREFIX = Backups.BACKUP_PREFIX;

  private final RegistryConfig config;
  private final Database database;
  private final ServiceStore services;
  private final PortStore ports;
  private final StatusStore status;
  private final EventStore events;
  private final CertificateStore certificates;
  private final IgnoredWorkloadStore ignored;
  private final IdentityStore identity;

  private Registry(RegistryConfig config, Database database) {
    this.config = config;
    this.database = database;
    try {
      this.identity = new IdentityStore(database, config.clock());
      RegistryCache cache = new RegistryCache();
      this.services =
          new ServiceStore(
              database,
              new SpecValidator(config.validation()),
              config.clock(),
              cache,
              config.historyPerService());
      this.ports = new PortStore(database, config.clock(), cache);
      this.status = new StatusStore(database, cache);
      this.events = new EventStore(database, config.clock(), config.eventsPerService(), cache);
      this.certificates = new CertificateStore(database);
      this.ignored = new IgnoredWorkloadStore(database, config.clock());
    } catch (RuntimeException e) {
      database.close(); // loading failed: release the file for the next attempt
      throw e;
    }
  }

  /**
   * Opens the registry under {@code config.dataDirectory()}, creating it if needed and migrating a
   * registry written by an older Berth to the current schema. The declared services and port
   * allocations are read into memory here, once; reads of them are served from there.
   *
   * <p>With {@link RegistryConfig#inMemory()}, opens a new, empty registry held in memory until
   * {@link #close()}.
   */
  public static Registry open(RegistryConfig config) {
    if (config.isInMemory()) {
      return new Registry(config, Database.inMemory(config.clock()));
    }
    try {
      Files.createDirectories(config.dataDirectory());
    } catch (IOException e) {
      throw new RegistryException(
          "cannot create the data directory " + config.dataDirectory() + ": " + e, e);
    }
    Registry registry = new Registry(config, Database.open(config.dataDirectory(), config.clock()));
    Backups.removeLeftovers(config.dataDirectory());
    return registry;
  }

  /**
   * Whether this open rewrote the file because the agent before it did not close it (kill -9, a
   * crash, a power loss), and how: see docs/running-on-a-node.md. Empty after a clean stop, for a
   * new registry and in memory.
   */
  public Optional<RegistryRewrite> rewriteAtOpen() {
    return database.rewrite();
  }

  /** Declared services. */
  public ServiceStore services() {
    return services;
  }

  /** Stable host ports of routes. */
  public PortStore ports() {
    return ports;
  }

  /** Observed status and conditions of components. */
  public StatusStore status() {
    return status;
  }

  /** Bounded event history per service. */
  public EventStore events() {
    return events;
  }

  /** Certificates' metadata. */
  public CertificateStore certificates() {
    return certificates;
  }

  /** Workloads found on the node that are not this registry's: reported, never touched. */
  public IgnoredWorkloadStore ignored() {
    return ignored;
  }

  /** Who this registry is, and so which workloads it owns. */
  public IdentityStore identity() {
    return identity;
  }

  /**
   * Whether the registry can keep what is written to it. A fault (its file removed or replaced
   * while open, a write the disk refused, the database closed by H2 after an error) stays until the
   * registry is opened again; meanwhile every write fails with a {@link
   * RegistryUnavailableException} that names it.
   */
  public RegistryHealth health() {
    return database.health();
  }

  /**
   * The database file.
   *
   * @throws IllegalStateException if the registry is held in memory
   */
  public Path file() {
    if (config.isInMemory()) {
      throw new IllegalStateException("an in-memory registry has no file");
    }
    return config.dataDirectory().toAbsolutePath().resolve(Backups.FILE);
  }

  /**
   * Writes a consistent copy of the registry to {@code file} while it keeps serving: every
   * transaction committed before the copy began is in it whole, none after it in part. The file (a
   * zip: a {@link BackupManifest}, then the registry's file) appears whole or not at all, readable
   * by its owner only; it holds what is declared, environment included, but no secret's value
   * (secrets are named, and read from files the registry does not hold).
   *
   * @param berthVersion the version of the program writing it, for the manifest
   * @return what it holds
   * @throws IllegalStateException if the registry is held in memory
   * @throws RegistryException if it cannot be written; no file is left at {@code file} then
   */
  public BackupManifest backup(Path file, String berthVersion) {
    if (config.isInMemory()) {
      throw new IllegalStateException("an in-memory registry has no file to back up");
    }
    return Backups.backup(database, file, berthVersion, config.clock());
  }

  /**
   * Replaces the registry in {@code dataDirectory} with a backup written by {@link #backup}, while
   * no agent holds the directory (refused otherwise, naming the holder's pid). The backup is
   * checked whole first: a zip cut short or damaged, a file that is not a registry, or a registry
   * of a newer schema than this Berth's is refused, and nothing is changed. Then the current file
   * is kept beside it ({@code registry.mv.db.before-restore-<time>}) and the backup's takes its
   * place in one rename: interrupted, the directory holds either the old registry or the new one.
   *
   * @throws RegistryException saying why nothing was restored
   */
  public static RestoredBackup restore(Path backup, Path dataDirectory) {
    return Backups.restore(backup, dataDirectory, Clock.systemUTC());
  }

  @Override
  public void close() {
    database.close();
  }
}
