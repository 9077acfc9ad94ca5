package dev.conform.planner;

import static org.junit.jupiter.api.Assumptions.abort;

import dev.conform.spi.SqlDialect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every golden case's PostgreSQL plan, statement by statement over plain JDBC, on a PostgreSQL
 * server, each case in a schema of its own that is dropped afterwards.
 *
 * <p>The server is {@code CONFORM_TEST_PG_URL} when set, else {@value #DEFAULT_URL}. The tests are
 * skipped only when no server answers at the default address; a server that answers but refuses the
 * login or the database, or a configured URL that does not answer, fails them.
 */
class GoldenPostgresqlRunTest {
  static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  @TestFactory
  Stream<DynamicTest> goldenCasesLoadTheExpectedRowsOnPostgresql() {
    return GoldenCase.all().stream()
        .map(c -> DynamicTest.dynamicTest(c.name(), () -> runOnPostgresql(c.name())));
  }

  private static void runOnPostgresql(String caseName) throws SQLException {
    String schema =
        "conform_golden_"
            + caseName.replace('-', '_').toLowerCase(Locale.ROOT)
            + "_"
            + ProcessHandle.current().pid();
    try (GoldenEngine engine = new JdbcGoldenEngine(SqlDialect.POSTGRESQL, open(schema))) {
      try {
        ScenarioRunner.run(caseName, engine);
      } finally {
        dropSchema(schema);
      }
    }
  }

  private static Connection open(String schema) throws SQLException {
    Connection connection = connect();
    try (Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      statement.execute("CREATE SCHEMA " + schema);
      statement.execute("SET search_path TO " + schema);
    }
    return connection;
  }

  private static void dropSchema(String schema) throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  private static Connection connect() throws SQLException {
    String configured = System.getenv("CONFORM_TEST_PG_URL");
    String url = configured == null || configured.isBlank() ? DEFAULT_URL : configured;
    try {
      return DriverManager.getConnection(url);
    } catch (SQLException e) {
      boolean noServer = e.getSQLState() != null && e.getSQLState().startsWith("08");
      // On CI a PostgreSQL server always runs: a missing one is a failure there, not a skip.
      if (noServer && url.equals(DEFAULT_URL) && !"true".equals(System.getenv("CI"))) {
        abort(
            "No PostgreSQL server answers at "
                + withoutParameters(url)
                + " ("
                + e.getMessage()
                + "); start one there or set CONFORM_TEST_PG_URL to run these tests");
      }
      throw new SQLException(
          "Cannot connect to PostgreSQL at " + withoutParameters(url) + ": " + e.getMessage(),
          e.getSQLState(),
          e);
    }
  }

  /** The URL without its parameters, which may hold a password. */
  private static String withoutParameters(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }
}
