package dev.conform.planner;

import dev.conform.spi.SqlDialect;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every golden case's H2 plan, statement by statement over plain JDBC, on an in-memory H2
 * database, and checks the exact target and reject rows after each run.
 */
class GoldenH2RunTest {

  @TestFactory
  Stream<DynamicTest> goldenCasesLoadTheExpectedRowsOnH2() {
    return GoldenCase.all().stream()
        .map(c -> DynamicTest.dynamicTest(c.name(), () -> runOnH2(c.name())));
  }

  private static void runOnH2(String caseName) throws SQLException {
    // A private in-memory database per case, gone when its one connection closes.
    try (GoldenEngine engine =
        new JdbcGoldenEngine(SqlDialect.H2, DriverManager.getConnection("jdbc:h2:mem:"))) {
      ScenarioRunner.run(caseName, engine);
    }
  }
}
