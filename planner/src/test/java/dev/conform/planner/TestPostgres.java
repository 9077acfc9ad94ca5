package dev.conform.planner;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The PostgreSQL the tests use: the server at {@code CONFORM_TEST_PG_URL} when that is set,
 * otherwise an embedded PostgreSQL 15 started once per test JVM, so the tests run everywhere.
 */
final class TestPostgres {
  private static EmbeddedPostgres embedded;

  private TestPostgres() {}

  static synchronized Connection connect() throws SQLException {
    String configured = System.getenv("CONFORM_TEST_PG_URL");
    if (configured != null && !configured.isBlank()) {
      try {
        return DriverManager.getConnection(configured);
      } catch (SQLException e) {
        int query = configured.indexOf('?');
        throw new SQLException(
            "Cannot connect to PostgreSQL at CONFORM_TEST_PG_URL "
                + (query < 0 ? configured : configured.substring(0, query))
                + ": "
                + e.getMessage(),
            e.getSQLState(),
            e);
      }
    }
    if (embedded == null) {
      try {
        embedded = EmbeddedPostgres.builder().start();
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
    return embedded.getPostgresDatabase().getConnection();
  }
}
