package dev.conform.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Assumptions;

/**
 * The MariaDB (or MySQL) server the tests use: {@code CONFORM_TEST_MARIADB_URL}, by default {@code
 * jdbc:mariadb://127.0.0.1:3306/test?user=root&sslMode=disable} (the driver asks for TLS unless
 * told not to). There is no embedded MariaDB, so when no server answers a test that needs one is
 * skipped with the reason, except when {@code CI=true}, where it fails: CI machines run one.
 */
public final class TestMariaDb {
  private static final String DEFAULT_URL =
      "jdbc:mariadb://127.0.0.1:3306/test?user=root&sslMode=disable";

  private TestMariaDb() {}

  /** A connection to the configured database; skips (or, on CI, fails) when none answers. */
  public static Connection connect() throws SQLException {
    return DriverManager.getConnection(serverUrl());
  }

  /**
   * A new, empty database named {@code name} (dropped first when it exists), and its JDBC URL with
   * the user in it, for a project's {@code conform.yaml}.
   */
  public static String freshDatabase(String name) throws SQLException {
    return TestServers.freshDatabase(serverUrl(), name, "");
  }

  /** The server's URL once a probe found it answering; probed once per test JVM. */
  private static String answering;

  /** Why no server answers, once a probe found none. */
  private static String silent;

  private static synchronized String serverUrl() {
    if (answering == null && silent == null) {
      probe();
    }
    if (answering != null) {
      return answering;
    }
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException(silent);
    }
    Assumptions.abort(silent);
    throw new AssertionError("unreachable");
  }

  private static void probe() {
    String configured = System.getenv("CONFORM_TEST_MARIADB_URL");
    String url = configured == null || configured.isBlank() ? DEFAULT_URL : configured;
    try (Connection connection = DriverManager.getConnection(url)) {
      answering = url;
    } catch (SQLException e) {
      int query = url.indexOf('?');
      silent =
          "No MariaDB answers at "
              + (query < 0 ? url : url.substring(0, query))
              + " ("
              + e.getMessage()
              + "); start one or set CONFORM_TEST_MARIADB_URL";
    }
  }
}
