package dev.berth.store.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The H2 file database under a data directory (or, for tests, in memory), with its schema brought
 * up to date by Flyway.
 *
 * <p>{@code WRITE_DELAY=0} is what makes an acknowledged write survive kill -9: H2 has no redo log,
 * and by default it writes committed pages to the file up to half a second later, so a killed
 * process loses what it acknowledged in that window (measured here: everything, on a young file).
 * With 0 each commit reaches the file before {@code commit()} returns; it costs about 0.8 ms.
 */
final class Database implements AutoCloseable {

  static final String NAME = "registry";

  private final JdbcConnectionPool pool;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Database(JdbcConnectionPool pool) {
    this.pool = pool;
  }

  static Database open(Path directory) {
    Path base = directory.toAbsolutePath().resolve(NAME);
    // DB_CLOSE_ON_EXIT=FALSE: the registry closes it itself, after its users are done.
    String url = "jdbc:h2:file:" + base + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    Database database = open(url, "the registry at " + base + ".mv.db");
    ownerOnly(Path.of(base + ".mv.db"));
    return database;
  }

  /**
   * The registry holds the services' environment, which often carries secrets: readable by its
   * owner only, whatever the umask. Where the file system has no POSIX modes, it is left alone.
   */
  private static void ownerOnly(Path file) {
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
  static Database inMemory() {
    String url = "jdbc:h2:mem:berth-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    return open(url, "the in-memory registry");
  }

  private static Database open(String url, String what) {
    JdbcConnectionPool pool = JdbcConnectionPool.create(url, "berth", "");
    pool.setMaxConnections(64);
    try {
      Flyway.configure()
          .dataSource(pool)
          .locations("classpath:db/migration")
          .failOnMissingLocations(true)
          .load()
          .migrate();
    } catch (RuntimeException e) {
      pool.dispose();
      throw new RegistryException("cannot open " + what + ": " + rootMessage(e), e);
    }
    return new Database(pool);
  }

  /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
  <T> T transaction(Sql.Work<T> work) {
    return run(work, true);
  }

  /** Runs {@code work} in one transaction that is always rolled back: for dry runs. */
  <T> T rehearsal(Sql.Work<T> work) {
    return run(work, false);
  }

  private <T> T run(Sql.Work<T> work, boolean commit) {
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        if (commit) {
          connection.commit();
        } else {
          connection.rollback();
        }
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  private static RuntimeException translate(SQLException e) {
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
    return new RegistryException("registry error: " + e.getMessage(), e);
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
    try (Connection connection = pool.getConnection()) {
      // Compacts and closes the file cleanly; the next open needs no recovery.
      connection.createStatement().execute("SHUTDOWN");
    } catch (SQLException e) {
      throw new RegistryException("closing the registry failed: " + e.getMessage(), e);
    } finally {
      pool.dispose();
    }
  }
}
