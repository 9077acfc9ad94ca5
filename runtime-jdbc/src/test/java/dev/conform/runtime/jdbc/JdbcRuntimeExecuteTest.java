package dev.conform.runtime.jdbc;

import static dev.conform.runtime.jdbc.DuckDbTesting.run;
import static dev.conform.runtime.jdbc.DuckDbTesting.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conform.spi.Column;
import dev.conform.spi.ConformRuntime;
import dev.conform.spi.DataType;
import dev.conform.spi.Metric;
import dev.conform.spi.ModelPlan;
import dev.conform.spi.Plan;
import dev.conform.spi.RunListener;
import dev.conform.spi.RunResult;
import dev.conform.spi.RuntimeFailure;
import dev.conform.spi.SourceData;
import dev.conform.spi.SqlDialect;
import dev.conform.spi.Step;
import dev.conform.testing.SkippedSteps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbcRuntimeExecuteTest {
  private ConformRuntime runtime;

  @BeforeEach
  void open() {
    runtime = DuckDbTesting.inMemory();
    run(
        runtime,
        "setup",
        sql("CREATE TABLE dim_a (id INTEGER)"),
        sql("INSERT INTO dim_a VALUES (1), (2)"),
        sql("CREATE TABLE dim_b (id INTEGER)"));
  }

  @AfterEach
  void close() {
    runtime.close();
  }

  private List<List<String>> rows(String sql) {
    return runtime.query(sql, -1).rows();
  }

  /**
   * Without counting as it runs, the runtime runs each tally's query before its statement, and
   * later statements run or are skipped on the counts.
   */
  @Test
  void countsTalliesWithTheirQueriesBeforeTheStatement() {
    SkippedSteps listener = new SkippedSteps();
    Step.Tally before = tally("before", Metric.EVENTS_NEW, "dim_a", "SELECT count(*) FROM dim_a");
    Step.Tally none = tally("none", null, "dim_a", "SELECT count(*) FROM dim_a WHERE id > 9");
    RunResult result =
        runtime.execute(
            new Plan(
                SqlDialect.DUCKDB,
                List.of(
                    new ModelPlan(
                        "dim_b",
                        List.of(
                            Step.Statement.counting(
                                    "copy",
                                    "INSERT INTO dim_b SELECT id FROM dim_a",
                                    Metric.ROWS_INSERTED,
                                    "dim_b")
                                .withTallies(List.of(before, none)),
                            Step.Statement.of("add", "INSERT INTO dim_a VALUES (5)")
                                .withTallies(
                                    List.of(
                                        tally(
                                            "before_add",
                                            Metric.ROWS_CLOSED,
                                            "dim_a",
                                            "SELECT count(*) FROM dim_a"))),
                            Step.Statement.of("never", "INSERT INTO dim_b VALUES (100)")
                                .withOnlyIf("none"),
                            Step.Statement.of("once", "INSERT INTO dim_b VALUES (200)")
                                .withOnlyIf("before_add"))))),
            listener);

    assertThat(rows("SELECT id FROM dim_b ORDER BY id"))
        .containsExactly(List.of("1"), List.of("2"), List.of("200"));
    assertThat(result.models().get(0).count(Metric.EVENTS_NEW)).isEqualTo(2);
    assertThat(result.models().get(0).count(Metric.ROWS_INSERTED)).isEqualTo(2);
    assertThat(result.models().get(0).count(Metric.ROWS_CLOSED))
        .as("counted before the statement added a row")
        .isEqualTo(2);
    assertThat(listener.skipped()).containsExactly("never: tally none is 0");
  }

  @Test
  void commitsEveryModelOrNone() {
    Plan plan =
        new Plan(
            SqlDialect.DUCKDB,
            List.of(
                new ModelPlan(
                    "dim_a",
                    List.of(
                        sql("INSERT INTO dim_a VALUES (3)"),
                        sql("DELETE FROM dim_a WHERE id = 1"))),
                new ModelPlan(
                    "dim_b",
                    List.of(
                        sql("INSERT INTO dim_b VALUES (10)"),
                        Step.Statement.of("insert broken", "INSERT INTO dim_b VALUES ('x')")))));

    assertThatThrownBy(() -> runtime.execute(plan, RunListener.NONE))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageStartingWith(
            "Cannot run model 'dim_b', step 'insert broken': Conversion Error: Could not convert string 'x'")
        .satisfies(
            e -> {
              RuntimeFailure failure = (RuntimeFailure) e;
              assertThat(failure.model()).contains("dim_b");
              assertThat(failure.step()).contains("insert broken");
            });

    assertThat(rows("SELECT id FROM dim_a ORDER BY id"))
        .containsExactly(List.of("1"), List.of("2"));
    assertThat(rows("SELECT count(*) FROM dim_b")).containsExactly(List.of("0"));
  }

  @Test
  void failsTheRunWhenAnExpectationCountsRows() {
    Plan plan =
        new Plan(
            SqlDialect.DUCKDB,
            List.of(
                new ModelPlan(
                    "dim_a",
                    List.of(
                        sql("INSERT INTO dim_a VALUES (3)"),
                        new Step.Expect(
                            "checks of dim_a",
                            "SELECT count(*) FROM dim_a WHERE id > 1",
                            "{count} row(s) failed a check")))));

    assertThatThrownBy(() -> runtime.execute(plan, RunListener.NONE))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessage("2 row(s) failed a check")
        .satisfies(e -> assertThat(((RuntimeFailure) e).step()).contains("checks of dim_a"));
    assertThat(rows("SELECT id FROM dim_a ORDER BY id"))
        .containsExactly(List.of("1"), List.of("2"));
  }

  @Test
  void passesAnExpectationThatCountsNothing() {
    run(
        runtime,
        "dim_a",
        new Step.Expect("checks of dim_a", "SELECT count(*) FROM dim_a WHERE id > 5", "{count}"),
        sql("INSERT INTO dim_a VALUES (3)"));
    assertThat(rows("SELECT count(*) FROM dim_a")).containsExactly(List.of("3"));
  }

  @Test
  void rollsBackTablesCreatedByAFailedRun() {
    assertThatThrownBy(
            () -> run(runtime, "dim_c", sql("CREATE TABLE dim_c (id INTEGER)"), sql("SELECT nope")))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageStartingWith("Cannot run model 'dim_c', step 'SELECT nope': Binder Error");

    assertThat(runtime.tableColumns("dim_c")).isEmpty();
  }

  @Test
  void countsUpdatesAndMeasuresPerModel() {
    Plan plan =
        new Plan(
            SqlDialect.DUCKDB,
            List.of(
                new ModelPlan(
                    "dim_a",
                    List.of(
                        Step.Statement.counting(
                            "insert",
                            "INSERT INTO dim_a SELECT range FROM range(10, 15)",
                            Metric.ROWS_INSERTED,
                            "dim_a"),
                        Step.Statement.counting(
                            "update",
                            "UPDATE dim_a SET id = id + 100 WHERE id < 3",
                            Metric.ROWS_UPDATED,
                            "dim_a"),
                        Step.Statement.counting(
                            "insert more",
                            "INSERT INTO dim_a VALUES (20)",
                            Metric.ROWS_INSERTED,
                            "dim_a"),
                        new Step.Measure(
                            "count new",
                            "SELECT count(*) FROM dim_a WHERE id >= 100",
                            Metric.EVENTS_NEW))),
                new ModelPlan(
                    "dim_b",
                    List.of(Step.Statement.of("no metric", "INSERT INTO dim_b VALUES (1)")))));

    RunResult result = runtime.execute(plan, RunListener.NONE);

    assertThat(result.models()).extracting(m -> m.model()).containsExactly("dim_a", "dim_b");
    assertThat(result.models().get(0).counts())
        .containsExactly(
            java.util.Map.entry(Metric.EVENTS_NEW, 2L),
            java.util.Map.entry(Metric.ROWS_INSERTED, 6L),
            java.util.Map.entry(Metric.ROWS_UPDATED, 2L));
    assertThat(result.models().get(1).counts()).isEmpty();
    assertThat(result.elapsed()).isGreaterThanOrEqualTo(result.models().get(0).elapsed());
  }

  @Test
  void reportsEachStepToTheListener() {
    List<String> events = new ArrayList<>();
    RunListener listener =
        new RunListener() {
          @Override
          public void stepStarted(String model, Step step, int index, int total) {
            events.add("start " + model + " " + step.description() + " " + index + "/" + total);
          }

          @Override
          public void stepFinished(String model, Step step, int index, int total) {
            events.add("finish " + model + " " + step.description() + " " + index + "/" + total);
          }
        };

    runtime.execute(DuckDbTesting.plan("dim_b", sql("SELECT 1"), sql("SELECT 2")), listener);

    assertThat(events)
        .containsExactly(
            "start dim_b SELECT 1 0/2",
            "finish dim_b SELECT 1 0/2",
            "start dim_b SELECT 2 1/2",
            "finish dim_b SELECT 2 1/2");
  }

  @Test
  void dropsTemporaryTablesAtTheEndOfEachRun() {
    Step.LoadSource load =
        new Step.LoadSource(
            "load",
            "events",
            new SourceData.InlineRows(List.of("id"), List.of(List.of("1"))),
            List.of(Column.of("id", DataType.INTEGER)),
            "stg_events",
            "rej_events");

    for (int i = 0; i < 200; i++) {
      RunResult result =
          run(
              runtime,
              "dim_b",
              load,
              sql("CREATE TEMP TABLE scratch AS SELECT * FROM stg_events"),
              Step.Statement.counting(
                  "insert",
                  "INSERT INTO dim_b SELECT id FROM scratch",
                  Metric.ROWS_INSERTED,
                  "dim_b"));
      assertThat(result.models().get(0).count(Metric.ROWS_INSERTED)).isEqualTo(1);
    }

    assertThat(rows("SELECT count(*) FROM dim_b")).containsExactly(List.of("200"));
    assertThat(rows("SELECT count(*) FROM duckdb_tables() WHERE temporary"))
        .containsExactly(List.of("0"));
  }

  /**
   * A load that leaves its rows to a later statement's tally reads the rows that did not convert
   * plus that tally's, once each; a plan in which no step counts the tally fails, leaving the
   * tables as they were, rather than report too few rows read.
   */
  @Test
  void countsALoadsRowsThroughTheTallyOfALaterStatement() {
    Step.LoadSource load =
        new Step.LoadSource(
            "load",
            "events",
            new SourceData.InlineRows(
                List.of("id"), List.of(List.of("1"), List.of("x"), List.of("3"))),
            List.of(Column.of("id", DataType.INTEGER)),
            "stg_events",
            "rej_events",
            Optional.of("rows_loaded"));
    Step.Statement insert =
        Step.Statement.counting(
            "insert", "INSERT INTO dim_b SELECT id FROM stg_events", Metric.ROWS_INSERTED, "dim_b");
    Step.Tally loaded =
        tally("rows_loaded", Metric.ROWS_READ, "stg_events", "SELECT count(*) FROM stg_events");

    RunResult result = run(runtime, "dim_b", load, insert.withTallies(List.of(loaded)));

    assertThat(result.models().get(0).count(Metric.ROWS_READ)).isEqualTo(3);
    assertThat(result.models().get(0).count(Metric.ROWS_REJECTED)).isEqualTo(1);
    assertThat(result.models().get(0).count(Metric.ROWS_INSERTED)).isEqualTo(2);
    assertThatThrownBy(() -> run(runtime, "dim_b", load, insert))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessage(
            "Cannot run model 'dim_b', step 'load': no later step counted the rows it loaded"
                + " (tally rows_loaded): a bug in Conform's plan");
    assertThat(rows("SELECT id FROM dim_b ORDER BY id"))
        .containsExactly(List.of("1"), List.of("3"));
  }

  @Test
  void refusesAPlanForAnotherDialect() {
    Plan plan = new Plan(SqlDialect.POSTGRESQL, List.of());

    assertThatThrownBy(() -> runtime.execute(plan, RunListener.NONE))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessage("Cannot run plan: it is rendered for POSTGRESQL, and this runtime runs DUCKDB");
  }

  @Test
  void failsAMeasureThatReturnsNoRow() {
    assertThatThrownBy(
            () ->
                run(
                    runtime,
                    "dim_a",
                    new Step.Measure("measure", "SELECT 1 WHERE false", Metric.ROWS_READ)))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessage("Cannot run model 'dim_a', step 'measure': the measure query returned no row");
  }

  /**
   * A tally of all of {@code relation}'s rows, counted by {@code sql}; {@code metric} may be null.
   */
  private static Step.Tally tally(String name, Metric metric, String relation, String sql) {
    return new Step.Tally(name, Optional.ofNullable(metric), relation, Map.of(), sql);
  }
}
