package dev.conform.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Runs statements on a test database, for setting up and changing source data. */
public final class Sql {
  private Sql() {}

  /** Runs {@code statements} in order on a new connection to {@code url}, each committed. */
  public static void execute(String url, String... statements) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }
}
