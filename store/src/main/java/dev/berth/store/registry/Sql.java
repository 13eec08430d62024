package dev.berth.store.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Small JDBC helpers, so the registry's methods read as what they do. */
final class Sql {

  private Sql() {}

  /** A unit of work inside one transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
      throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    bind(statement, parameters);
    return statement;
  }

  /** Sets a statement's parameters in order, e.g. before each {@code addBatch()}. */
  static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
    for (int i = 0; i < parameters.length; i++) {
      Object value = parameters[i];
      statement.setObject(i + 1, value instanceof Instant instant ? timestamp(instant) : value);
    }
  }

  static int update(Connection connection, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = prepare(connection, sql, parameters)) {
      return statement.executeUpdate();
    }
  }

  /** H2 maps TIMESTAMP WITH TIME ZONE to OffsetDateTime: the JVM's time zone never leaks in. */
  static OffsetDateTime timestamp(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(ResultSet row, String column) throws SQLException {
    OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  static Integer integer(ResultSet row, String column) throws SQLException {
    int value = row.getInt(column);
    return row.wasNull() ? null : value;
  }

  /** The first line of an error message: H2 appends the SQL text and more on the next lines. */
  static String firstLine(String message) {
    String text = String.valueOf(message);
    int end = text.indexOf('\n');
    return end < 0 ? text : text.substring(0, end);
  }

  /** SQLState 23505: a unique or primary key constraint refused the row. */
  static boolean isDuplicate(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  static String constraintOf(SQLException e) {
    String message = String.valueOf(e.getMessage()).toUpperCase(java.util.Locale.ROOT);
    for (String name : new String[] {"ROUTE_CLAIM", "ONE_OWNER_PER_PORT"}) {
      if (message.contains(name)) {
        return name;
      }
    }
    return "";
  }
}
