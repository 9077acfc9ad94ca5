package dev.conform.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** What the test servers share: making a fresh database and naming its URL. */
final class TestServers {
  private TestServers() {}

  /**
   * Drops database {@code name} on the server at {@code serverUrl} (with {@code dropOptions}, such
   * as PostgreSQL's {@code WITH (FORCE)}), creates it empty, and returns its URL.
   */
  static String freshDatabase(String serverUrl, String name, String dropOptions)
      throws SQLException {
    try (Connection connection = DriverManager.getConnection(serverUrl);
        Statement statement = connection.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + name + dropOptions);
      statement.execute("CREATE DATABASE " + name);
    }
    return databaseUrl(serverUrl, name);
  }

  /** {@code jdbc:kind://host:port/other?params} with {@code name} for {@code other}. */
  static String databaseUrl(String serverUrl, String name) {
    int query = serverUrl.indexOf('?');
    String base = query < 0 ? serverUrl : serverUrl.substring(0, query);
    String parameters = query < 0 ? "" : serverUrl.substring(query);
    int slash = base.indexOf('/', base.indexOf("//") + 2);
    return (slash < 0 ? base : base.substring(0, slash)) + "/" + name + parameters;
  }
}
