package dev.berth.store.registry;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.flywaydb.core.Flyway;
import org.h2.api.ErrorCode;
import org.h2.engine.Constants;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The H2 file database under a data directory (or, for tests, in memory), with its schema brought
 * up to date by Flyway.
 *
 * <p>What makes an acknowledged write survive kill -9, and what keeps the promise honest:
 *
 * <ul>
 *   <li>{@code WRITE_DELAY=0}: H2 has no redo log, and by default it writes committed pages to the
 *       file up to half a second later. With 0 each commit is written to the file before {@code
 *       commit()} returns (about 0.8 ms).
 *   <li>H2 2.4.240, not 2.5.x: from 2.5.250 on, once a file reuses the space of its old chunks
 *       (after H2's 45 s retention), a commit written into that space is not found when the file is
 *       opened again, and the registry comes back without it. Measured here by copying the file
 *       after each acknowledged apply beside three threads writing status, conditions and events
 *       (as a kill -9 at that instant leaves it) and opening the copy: 2.5.252 lost 121 of 500
 *       applies and 2.5.250 68 of 500, also with every transaction run alone; 2.4.240 and 2.3.232
 *       none of 800 each. See the parent pom before moving H2 on.
 *   <li>A declaration ({@link #durableTransaction}) is also flushed to the disk ({@code CHECKPOINT
 *       SYNC}: fsync) before it is acknowledged, so that it survives a power loss too. Observed
 *       state is not: the loops observe it again.
 *   <li>A write is acknowledged only if the file it went to is still the registry's file: a data
 *       directory removed while the agent runs would otherwise take acknowledged writes into an
 *       unlinked file, gone at the next start. Such a fault, or H2 closing the database after a
 *       write error, sticks ({@link #health()}) and every later call fails fast with a {@link
 *       RegistryUnavailableException} that names it.
 * </ul>
 */
final class Database implements AutoCloseable {

  static final String NAME = "registry";

  /** H2's errors that mean the file cannot be written or read any more: retrying cannot help. */
  private static final Set<Integer> STORAGE_ERRORS =
      Set.of(
          ErrorCode.IO_EXCEPTION_1,
          ErrorCode.IO_EXCEPTION_2,
          ErrorCode.FILE_CORRUPTED_1,
          ErrorCode.DATABASE_IS_READ_ONLY,
          ErrorCode.DATABASE_IS_CLOSED,
          ErrorCode.DATABASE_CALLED_AT_SHUTDOWN,
          ErrorCode.FILE_NOT_FOUND_1);

  private final String url;
  private final JdbcConnectionPool pool;
  private final RegistryLock lock;
  private final RegistryFile file;
  private final Clock clock;
  private final AtomicReference<RegistryHealth> health = new AtomicReference<>(RegistryHealth.OK);
  private final AtomicBoolean closed = new AtomicBoolean();

  private final RegistryRewrite rewrite;

  private Database(
      String url,
      JdbcConnectionPool pool,
      RegistryLock lock,
      RegistryFile file,
      Clock clock,
      RegistryRewrite rewrite) {
    this.url = url;
    this.pool = pool;
    this.lock = lock;
    this.file = file;
    this.clock = clock;
    this.rewrite = rewrite;
  }

  /**
   * After a kill -9 (or a crash, or a power loss) H2 recovers the file to its newest complete
   * version, but what it recovers past stays in the file: a chunk the killed agent wrote completely
   * and had not yet named in the file's header is skipped by this open, and then left where it
   * lies. The new agent writes its own chunks with the same ids and versions, and a later open that
   * must search the file after another kill (its header no longer names its newest chunk) can come
   * upon the stale twin (H2 ranks two chunks of one version by their place in the file) and bring
   * back a write that was never acknowledged, or a state older than one that was. So the file is
   * rewritten, right after an unclean stop and before anything reads it, into a new file holding
   * only what this open recovered ({@code SHUTDOWN COMPACT}: a copy of the live pages into a temp
   * file, renamed over the old one; a kill meanwhile leaves the old file, which H2 cleans up at the
   * next open). Without {@code WRITE_DELAY}, H2 never compacts in the background, so this is also
   * what keeps a registry that lives through many crashes from growing.
   */
  private static RegistryRewrite rewriteAfterUncleanStop(String url, Path path, Clock clock) {
    long before = size(path);
    long started = System.nanoTime();
    RegistryFile original = RegistryFile.opened(path);
    try (Connection connection = DriverManager.getConnection(url, "berth", "");
        Statement shutdown = connection.createStatement()) {
      shutdown.execute("SHUTDOWN COMPACT");
    } catch (SQLException e) {
      throw cannotRewrite(path, rootMessage(e), e);
    }
    // H2 closes the file cleanly before it copies it, and only traces a copy that failed (a full
    // disk): the old file then stays where it was, which is how a failure shows.
    if (original.unchanged()) {
      deleteQuietly(Path.of(path + Constants.SUFFIX_MV_STORE_TEMP_FILE));
      throw cannotRewrite(
          path, "H2 could not write the new copy; see " + traceFile(path) + " for why", null);
    }
    syncFileAndDirectory(path);
    return new RegistryRewrite(
        clock.instant(), before, size(path), Duration.ofNanos(System.nanoTime() - started));
  }

  private static RegistryException cannotRewrite(Path path, String why, Throwable cause) {
    return new RegistryException(
        "cannot open the registry at "
            + path
            + ": rewriting it after an unclean stop failed ("
            + why
            + "). The registry is unchanged; make room or fix the storage of "
            + path.getParent()
            + ", then start the agent again",
        cause);
  }

  private static Path traceFile(Path registryFile) {
    String name = registryFile.getFileName().toString();
    return registryFile.resolveSibling(
        name.substring(0, name.length() - Constants.SUFFIX_MV_FILE.length()) + ".trace.db");
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // H2 removes a copy left behind when it next opens the file.
    }
  }

  /** The rename of a rewritten file is kept by a power loss only once the directory is synced. */
  private static void syncFileAndDirectory(Path path) {
    for (Path synced : new Path[] {path, path.getParent()}) {
      try (FileChannel channel = FileChannel.open(synced, StandardOpenOption.READ)) {
        channel.force(true);
      } catch (IOException e) {
        throw new RegistryException("cannot sync " + synced + ": " + e.getMessage(), e);
      }
    }
  }

  private static long size(Path path) {
    try {
      return Files.size(path);
    } catch (IOException e) {
      return -1;
    }
  }

  /** How the file was rewritten at this open after an unclean stop, or empty if it was not. */
  Optional<RegistryRewrite> rewrite() {
    return Optional.ofNullable(rewrite);
  }

  /**
   * Opens the registry file under {@code directory}, creating it if there is none.
   *
   * @throws RegistryException if the file is not a registry (empty, truncated, another database),
   *     is locked by another process, or cannot be opened
   */
  static Database open(Path directory, Clock clock) {
    Path base = directory.toAbsolutePath().resolve(NAME);
    Path path = Path.of(base + ".mv.db");
    // DB_CLOSE_ON_EXIT=FALSE: H2 must not close the database from its own JVM shutdown hook while
    // the agent still writes; the registry closes it itself, after its users are done.
    String url = "jdbc:h2:file:" + base + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    RegistryLock lock = RegistryLock.take(directory);
    JdbcConnectionPool pool = null;
    try {
      RegistryRewrite rewrite = null;
      if (RegistryFile.refuseIfNotARegistry(path)) {
        // Read-only, so that a file H2 cannot make sense of is refused as it is, not rewritten.
        RegistryFile.refuseIfForeign(url + ";ACCESS_MODE_DATA=r", path);
        if (lock.previousHolderStoppedUncleanly()) {
          rewrite = rewriteAfterUncleanStop(url, path, clock);
        }
      }
      pool = pool(url);
      migrate(pool, "the registry at " + path);
      ownerOnly(path);
      return new Database(url, pool, lock, RegistryFile.opened(path), clock, rewrite);
    } catch (RuntimeException e) {
      if (pool != null) {
        pool.dispose();
      }
      lock.close();
      throw e;
    }
  }

  /**
   * The registry holds the services' environment, which often carries secrets: readable by its
   * owner only, whatever the umask. Where the file system has no POSIX modes, it is left alone.
   */
  static void ownerOnly(Path file) {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException | IOException e) {
      // Not a POSIX file system, or not ours to change: the directory's modes are what protect it.
    }
  }

  /**
   * A database in memory, under a name of its own so that two never share their rows. It lives
   * until {@link #close()} (DB_CLOSE_DELAY=-1), not merely while a connection is open.
   */
  static Database inMemory(Clock clock) {
    String url = "jdbc:h2:mem:berth-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    JdbcConnectionPool pool = pool(url);
    try {
      migrate(pool, "the in-memory registry");
    } catch (RuntimeException e) {
      pool.dispose();
      throw e;
    }
    return new Database(url, pool, null, null, clock, null);
  }

  private static JdbcConnectionPool pool(String url) {
    JdbcConnectionPool pool = JdbcConnectionPool.create(url, "berth", "");
    pool.setMaxConnections(64);
    return pool;
  }

  private static void migrate(JdbcConnectionPool pool, String what) {
    try {
      Flyway.configure()
          .dataSource(pool)
          .locations("classpath:db/migration")
          .failOnMissingLocations(true)
          .load()
          .migrate();
    } catch (RuntimeException e) {
      throw new RegistryException("cannot open " + what + ": " + rootMessage(e), e);
    }
  }

  /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
  <T> T transaction(Sql.Work<T> work) {
    return run(work, Ending.COMMIT);
  }

  /**
   * Runs {@code work} in one transaction, committed and flushed to the disk before it returns: for
   * what is declared, which must survive a power loss once acknowledged.
   */
  <T> T durableTransaction(Sql.Work<T> work) {
    return run(work, Ending.COMMIT_AND_SYNC);
  }

  /** Runs {@code work} in one transaction that is always rolled back: for dry runs. */
  <T> T rehearsal(Sql.Work<T> work) {
    return run(work, Ending.ROLLBACK);
  }

  /**
   * Runs {@code work}, which only reads, in one transaction that is rolled back. Unlike a write, it
   * runs while the registry is faulty too, for as long as H2 can still read: status and events stay
   * visible, with the fault beside them.
   */
  <T> T read(Sql.Work<T> work) {
    return run(work, Ending.READ);
  }

  private enum Ending {
    COMMIT,
    COMMIT_AND_SYNC,
    ROLLBACK,
    READ
  }

  private <T> T run(Sql.Work<T> work, Ending ending) {
    if (ending != Ending.READ) {
      failIfFaulty();
    }
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(false);
      T result;
      try {
        result = work.run(connection);
        if (ending == Ending.ROLLBACK || ending == Ending.READ) {
          connection.rollback();
          return result;
        }
        connection.commit();
      } catch (SQLException | RuntimeException | Error e) {
        connection.rollback();
        throw e;
      }
      if (ending == Ending.COMMIT_AND_SYNC) {
        try (Statement sync = connection.createStatement()) {
          sync.execute("CHECKPOINT SYNC");
        }
      }
      // Only now is it known whether the write went to the registry's file, or into nowhere.
      checkFile();
      failIfFaulty();
      return result;
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  /**
   * Whether the registry can keep what is written to it; looks at the file now, so that a data
   * directory removed while nothing is written is noticed too.
   */
  RegistryHealth health() {
    checkFile();
    return health.get();
  }

  private void checkFile() {
    if (file == null || !health.get().ok()) {
      return;
    }
    String problem = file.problem();
    if (problem != null) {
      fault(problem, null);
    }
  }

  private void failIfFaulty() {
    RegistryHealth current = health.get();
    if (!current.ok()) {
      throw new RegistryUnavailableException(current.fault(), null);
    }
  }

  /** Records the first fault seen; later ones are consequences of it. */
  private RegistryUnavailableException fault(String problem, Throwable cause) {
    health.compareAndSet(RegistryHealth.OK, RegistryHealth.faulty(problem, clock.instant()));
    return new RegistryUnavailableException(health.get().fault(), cause);
  }

  private RuntimeException translate(SQLException e) {
    if (Sql.isDuplicate(e)) {
      return switch (Sql.constraintOf(e)) {
        case "ROUTE_CLAIM" ->
            new ConflictException(
                "another apply claimed the same listener port and hostname at the same time;"
                    + " read again and retry");
        case "ONE_OWNER_PER_PORT" -> new ConflictException("that host port is allocated already");
        default ->
            new ConflictException(
                "another writer created the same record at the same time; read again and retry");
      };
    }
    if ("HYT00".equals(e.getSQLState()) || "40001".equals(e.getSQLState())) {
      return new ConflictException("the registry is busy with a conflicting write; retry");
    }
    if (isStorageFault(e)) {
      return fault(storageFault(e), e);
    }
    return new RegistryException("registry error: " + rootMessage(e), e);
  }

  private static boolean isStorageFault(SQLException e) {
    if (STORAGE_ERRORS.contains(e.getErrorCode())) {
      return true;
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof IOException
          || cause.getClass().getName().equals("org.h2.mvstore.MVStoreException")) {
        return true;
      }
    }
    return false;
  }

  /** The fault in words an operator can act on: no SQL, no stack. */
  private String storageFault(SQLException e) {
    String where = file == null ? "the in-memory registry" : "the registry " + file.path();
    String what =
        switch (e.getErrorCode()) {
          case ErrorCode.DATABASE_IS_READ_ONLY -> "is read-only";
          case ErrorCode.DATABASE_IS_CLOSED, ErrorCode.DATABASE_CALLED_AT_SHUTDOWN ->
              "was closed by H2 after an earlier error";
          default -> "cannot be written: " + Sql.firstLine(rootMessage(e));
        };
    return where
        + " "
        + what
        + "; nothing more is acknowledged. Fix the storage (space, permissions, the disk), then"
        + " restart the agent";
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage();
  }

  /** Closes the file cleanly; closing again does nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // SHUTDOWN on a connection of its own, after the pool let go of its connections: a pooled
    // connection rolls back when it is closed, and H2 traced "Database is already closed" for that
    // rollback at every stop.
    boolean clean = false;
    try (Connection direct = DriverManager.getConnection(url, "berth", "")) {
      pool.dispose();
      if (health.get().ok()) {
        // Compacts and closes the file cleanly; the next open needs no recovery.
        direct.createStatement().execute("SHUTDOWN");
        clean = file != null;
      }
    } catch (SQLException e) {
      if (!isStorageFault(e)) {
        throw new RegistryException("closing the registry failed: " + rootMessage(e), e);
      }
    } finally {
      pool.dispose();
      if (lock != null) {
        if (clean) {
          lock.closeCleanly();
        } else {
          lock.close();
        }
      }
    }
  }
}
