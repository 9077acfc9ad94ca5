package dev.conform.planner;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every golden case's DuckDB plan on embedded DuckDB through the JDBC runtime: a first load,
 * then an incremental batch with a backdated row, checking the exact target and reject rows.
 */
class GoldenDuckDbRunTest {

  @TestFactory
  Stream<DynamicTest> goldenCasesLoadTheExpectedRowsOnDuckDb() {
    return GoldenCase.all().stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.name(),
                    () -> {
                      try (GoldenEngine engine = new DuckDbGoldenEngine()) {
                        ScenarioRunner.run(c.name(), engine);
                      }
                    }));
  }
}
