package dev.conform.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The PostgreSQL the tests use: the server at {@code CONFORM_TEST_PG_URL} when that is set,
 * otherwise an embedded PostgreSQL 15 started once per test JVM, so the tests run everywhere. The
 * embedded server runs with {@code wal_level=logical}, for the tests of logical decoding.
 */
public final class TestPostgres {
  private static EmbeddedPostgres embedded;

  private TestPostgres() {}

  /** A connection to the server's default database. */
  public static Connection connect() throws SQLException {
    return DriverManager.getConnection(serverUrl());
  }

  /**
   * A new, empty database named {@code name} (dropped first when it exists), and its JDBC URL with
   * the user in it, for a project's {@code conform.yaml}.
   */
  public static String freshDatabase(String name) throws SQLException {
    return TestServers.freshDatabase(serverUrl(), name, " WITH (FORCE)");
  }

  /**
   * Like {@link #freshDatabase}, on a server with {@code wal_level=logical}: the configured one
   * when it has that level, otherwise the embedded one.
   */
  public static String freshLogicalDatabase(String name) throws SQLException {
    String server = serverUrl();
    if (!isLogical(server)) {
      server = embeddedUrl();
    }
    return TestServers.freshDatabase(server, name, " WITH (FORCE)");
  }

  private static boolean isLogical(String url) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url);
        java.sql.Statement statement = connection.createStatement();
        java.sql.ResultSet level = statement.executeQuery("SHOW wal_level")) {
      return level.next() && level.getString(1).equals("logical");
    }
  }

  /** The configured server, once a probe found it answering. */
  private static String configuredAnswering;

  private static synchronized String serverUrl() {
    String configured = System.getenv("CONFORM_TEST_PG_URL");
    if (configured != null && !configured.isBlank()) {
      if (configured.equals(configuredAnswering)) {
        return configured;
      }
      try (Connection probe = DriverManager.getConnection(configured)) {
        configuredAnswering = configured;
        return configured;
      } catch (SQLException e) {
        int query = configured.indexOf('?');
        throw new IllegalStateException(
            "Cannot connect to PostgreSQL at CONFORM_TEST_PG_URL "
                + (query < 0 ? configured : configured.substring(0, query))
                + ": "
                + e.getMessage(),
            e);
      }
    }
    return embeddedUrl();
  }

  private static synchronized String embeddedUrl() {
    if (embedded == null) {
      try {
        embedded =
            EmbeddedPostgres.builder()
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "32")
                .setServerConfig("max_wal_senders", "32")
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot start embedded PostgreSQL: " + e.getMessage(), e);
      }
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      embedded.close();
                    } catch (IOException e) {
                      // The JVM is exiting; the data folder is temporary.
                    }
                  }));
    }
    return embedded.getJdbcUrl("postgres", "postgres");
  }
}
