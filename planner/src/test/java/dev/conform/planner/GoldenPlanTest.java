package dev.conform.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conform.spi.SqlDialect;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Plans each project under {@code src/test/resources/golden/<case>/} (every dimension bound with
 * its source's declared columns, run 1, reading {@code /data/<source>.csv}) and compares the result
 * with {@code logical.plan.txt} and one {@code <dialect>.sql} per dialect: the plan of an
 * incremental run. The files starting {@code first-run.} hold the plan of a model's first run (and
 * of a full refresh), which loads empty tables.
 *
 * <p>Regenerate with {@code mvn -o -pl planner test -Dtest=GoldenPlanTest
 * -Dconform.golden.update=true} and review the diff.
 */
class GoldenPlanTest {
  private static final boolean UPDATE = Boolean.getBoolean("conform.golden.update");
  private static final List<SqlDialect> DIALECTS =
      List.of(
          SqlDialect.DUCKDB,
          SqlDialect.POSTGRESQL,
          SqlDialect.MYSQL,
          SqlDialect.H2,
          SqlDialect.SPARK);

  @TestFactory
  Stream<DynamicTest> plansMatchTheGoldenFiles() {
    return GoldenCase.all().stream()
        .map(c -> DynamicTest.dynamicTest(c.name(), () -> checkGoldenFiles(c)));
  }

  /**
   * A logical plan depends on the dialect only through two capabilities: how many columns its
   * tables' row id to delete by has (none, one, or Spark's two), and whether it compares rows as
   * single values. Dialects alike in both get the same plan.
   */
  @Test
  void logicalPlansDependOnTheDialectOnlyThroughRowIdsAndRowComparisons() {
    for (GoldenCase goldenCase : GoldenCase.all()) {
      Map<List<Object>, String> planByAbilities = new HashMap<>();
      for (SqlDialect dialect : DIALECTS) {
        DialectRenderer renderer = new DialectRenderer(dialect);
        List<Object> abilities = List.of(renderer.rowId().size(), renderer.comparesRows());
        String plan = PlanPrinter.logicalPlans(goldenCase.plan(dialect, GoldenCase::goldenData));
        assertThat(plan)
            .as("%s planned for %s", goldenCase, dialect)
            .isEqualTo(planByAbilities.computeIfAbsent(abilities, a -> plan));
      }
      assertThat(planByAbilities)
          .as(
              "dialects with a row id of one column and row comparisons, of one column only, of"
                  + " two columns only, with neither")
          .hasSize(4);
    }
  }

  @Test
  void planningTwiceGivesTheSameText() {
    for (GoldenCase goldenCase : GoldenCase.all()) {
      for (SqlDialect dialect : DIALECTS) {
        assertThat(PlanPrinter.sql(goldenCase.plan(dialect, GoldenCase::goldenData)))
            .as("%s planned twice for %s", goldenCase, dialect)
            .isEqualTo(
                PlanPrinter.sql(
                    GoldenCase.load(goldenCase.folder()).plan(dialect, GoldenCase::goldenData)));
      }
    }
  }

  @Test
  void everyCaseHasAnExecutionScenario() {
    for (GoldenCase goldenCase : GoldenCase.all()) {
      assertThat(GoldenScenarios.forCase(goldenCase.name()))
          .as("the scenario that runs golden case %s on real engines", goldenCase)
          .isPresent();
    }
  }

  private static void checkGoldenFiles(GoldenCase goldenCase) throws IOException {
    Map<String, String> expected = new LinkedHashMap<>();
    for (Planner.Start start : List.of(Planner.Start.INCREMENTAL, Planner.Start.NEW_TABLES)) {
      String prefix = start == Planner.Start.INCREMENTAL ? "" : "first-run.";
      expected.put(
          prefix + "logical.plan.txt",
          PlanPrinter.logicalPlans(
              goldenCase.plan(SqlDialect.DUCKDB, GoldenCase::goldenData, start)));
      for (SqlDialect dialect : DIALECTS) {
        expected.put(
            prefix + dialect.name().toLowerCase(Locale.ROOT) + ".sql",
            PlanPrinter.sql(goldenCase.plan(dialect, GoldenCase::goldenData, start)));
      }
    }
    SoftAssertions softly = new SoftAssertions();
    for (Map.Entry<String, String> file : expected.entrySet()) {
      Path path = goldenCase.folder().resolve(file.getKey());
      if (UPDATE) {
        Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
      }
      softly
          .assertThat(path)
          .as("%s/%s (regenerate with -Dconform.golden.update=true)", goldenCase, file.getKey())
          .exists();
      if (Files.exists(path)) {
        softly
            .assertThat(file.getValue())
            .as("%s/%s (regenerate with -Dconform.golden.update=true)", goldenCase, file.getKey())
            .isEqualTo(Files.readString(path, StandardCharsets.UTF_8));
      }
    }
    softly.assertAll();
  }
}
