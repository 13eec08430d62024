package dev.berth.store.registry;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What is known of each certificate: validity, files, and why the last attempt failed. */
public final class CertificateStore {

  private final Database database;

  CertificateStore(Database database) {
    this.database = database;
  }

  /** Records {@code certificate}, replacing what was known under its name. */
  public void put(CertificateRecord certificate) {
    database.transaction(
        connection ->
            Sql.update(
                connection,
                "MERGE INTO certificates (name, domains, issuer, status, serial, not_before,"
                    + " not_after, fingerprint, chain_path, key_path, last_error, updated_at)"
                    + " KEY (name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                certificate.name(),
                String.join(",", certificate.domains()),
                certificate.issuer(),
                certificate.status(),
                certificate.serial(),
                certificate.notBefore(),
                certificate.notAfter(),
                certificate.fingerprint(),
                certificate.chainPath(),
                certificate.keyPath(),
                certificate.lastError(),
                certificate.updatedAt()));
  }

  /** What is known of the certificate named {@code name} (its primary hostname), if anything. */
  public Optional<CertificateRecord> get(String name) {
    return database.read(
        connection -> {
          List<CertificateRecord> found = read(connection, "WHERE name = ?", name);
          return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        });
  }

  /** Every certificate known. */
  public List<CertificateRecord> list() {
    return database.read(connection -> read(connection, ""));
  }

  /**
   * Forgets the certificate named {@code name}.
   *
   * @return true if it was known
   */
  public boolean delete(String name) {
    return database.transaction(
        connection -> Sql.update(connection, "DELETE FROM certificates WHERE name = ?", name) == 1);
  }

  private static List<CertificateRecord> read(
      java.sql.Connection connection, String where, Object... parameters) throws SQLException {
    List<CertificateRecord> certificates = new ArrayList<>();
    try (var statement =
            Sql.prepare(
                connection, "SELECT * FROM certificates " + where + " ORDER BY name", parameters);
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        certificates.add(
            new CertificateRecord(
                rows.getString("name"),
                Arrays.asList(rows.getString("domains").split(",")),
                rows.getString("issuer"),
                rows.getString("status"),
                rows.getString("serial"),
                Sql.instant(rows, "not_before"),
                Sql.instant(rows, "not_after"),
                rows.getString("fingerprint"),
                rows.getString("chain_path"),
                rows.getString("key_path"),
                rows.getString("last_error"),
                Sql.instant(rows, "updated_at")));
      }
    }
    return certificates;
  }
}
