package dev.berth.store.registry;

import dev.berth.spec.validation.Rules;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/** The registry's identity and the registries it adopted; read once, held in memory. */
public final class IdentityStore {

  private final Database database;
  private final Clock clock;
  private volatile RegistryIdentity current;

  /**
   * Reads the identity, and records this open with a write that reaches the disk: a registry that
   * cannot be written (a read-only file or file system, a full disk) is refused here, at start,
   * rather than at the first declaration.
   */
  IdentityStore(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
    this.current = database.read(IdentityStore::read);
    try {
      database.durableTransaction(
          connection ->
              Sql.update(
                  connection, "UPDATE registry_identity SET last_opened_at = ?", clock.instant()));
    } catch (RegistryException e) {
      throw new RegistryException("cannot write the registry: " + e.getMessage(), e);
    }
  }

  /** This registry's identity. */
  public RegistryIdentity get() {
    return current;
  }

  /**
   * Hands the workloads of registry {@code other} over to this one: from now on they are managed as
   * if this registry had made them (kept if declared here, replaced if their spec differs, removed
   * if not declared). What the operator says when a registry was made anew on purpose.
   *
   * @param other a registry's id, or {@link RegistryIdentity#UNLABELLED} for Berth's workloads that
   *     carry none
   * @return whether anything changed (false if {@code other} was adopted already)
   * @throws IllegalArgumentException if {@code other} is not a registry id, or is this registry's
   */
  public synchronized boolean adopt(String other) {
    if (other.equals(RegistryIdentity.UNLABELLED)) {
      if (current.claimsUnlabelled()) {
        return false;
      }
      database.durableTransaction(
          connection ->
              Sql.update(connection, "UPDATE registry_identity SET claims_unlabelled = TRUE"));
    } else {
      requireRegistryId(other);
      if (current.adopted().contains(other)) {
        return false;
      }
      database.durableTransaction(
          connection ->
              Sql.update(
                  connection,
                  "INSERT INTO adopted_registries (id, adopted_at) VALUES (?, ?)",
                  other,
                  clock.instant()));
    }
    current = current.adopting(other);
    return true;
  }

  private void requireRegistryId(String other) {
    try {
      if (!UUID.fromString(other).toString().equals(other)) {
        throw new IllegalArgumentException(other);
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "registry: must be a registry id (a UUID as `berth node` shows it) or \""
              + RegistryIdentity.UNLABELLED
              + "\", was "
              + Rules.quote(other));
    }
    if (other.equals(current.id())) {
      throw new IllegalArgumentException("registry: " + other + " is this registry's own id");
    }
  }

  private static RegistryIdentity read(Connection connection) throws SQLException {
    Set<String> adopted = new HashSet<>();
    try (ResultSet rows =
        connection.createStatement().executeQuery("SELECT id FROM adopted_registries")) {
      while (rows.next()) {
        adopted.add(rows.getString("id"));
      }
    }
    try (ResultSet row =
        connection
            .createStatement()
            .executeQuery("SELECT id, created_at, claims_unlabelled FROM registry_identity")) {
      if (!row.next()) {
        throw new RegistryException("the registry has no identity row: it is damaged");
      }
      return new RegistryIdentity(
          row.getString("id"),
          Sql.instant(row, "created_at"),
          row.getBoolean("claims_unlabelled"),
          adopted);
    }
  }
}
