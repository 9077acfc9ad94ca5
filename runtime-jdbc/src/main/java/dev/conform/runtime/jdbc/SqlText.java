package dev.conform.runtime.jdbc;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;

/** Quoting of identifiers and literals, update counts, and engine messages shortened for people. */
final class SqlText {
  private SqlText() {}

  /** A double-quoted identifier; works on DuckDB, PostgreSQL, H2 and ANSI-mode MySQL. */
  static String identifier(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** A single-quoted string literal. */
  static String literal(String value) {
    return '\'' + value.replace("'", "''") + '\'';
  }

  /**
   * The first line of an engine's message: DuckDB appends the statement with a caret on later
   * lines, which belongs in the log, not in a one-line error.
   */
  static String engineMessage(Throwable error) {
    String message = error.getMessage();
    if (message == null || message.isBlank()) {
      return error.getClass().getSimpleName();
    }
    String trimmed = message.strip();
    int newline = trimmed.indexOf('\n');
    return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
  }

  /** The rows a statement changed, as a long (an int wraps above 2^31 rows); never negative. */
  static long updateCount(Statement statement) throws SQLException {
    long count;
    try {
      count = statement.getLargeUpdateCount();
    } catch (UnsupportedOperationException | SQLFeatureNotSupportedException e) {
      count = statement.getUpdateCount();
    }
    return Math.max(0, count);
  }
}
