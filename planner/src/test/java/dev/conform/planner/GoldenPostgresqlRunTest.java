package dev.conform.planner;

import dev.conform.spi.SqlDialect;
import dev.conform.testing.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every golden case's PostgreSQL plan, statement by statement over plain JDBC, on a real
 * PostgreSQL ({@link TestPostgres}), each case in a schema of its own that is dropped afterwards.
 */
class GoldenPostgresqlRunTest {
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
    return TestPostgres.connect();
  }
}
