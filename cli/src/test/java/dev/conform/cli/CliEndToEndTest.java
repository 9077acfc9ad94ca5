package dev.conform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI from {@code init} to {@code test}, on embedded DuckDB in a temporary folder. */
class CliEndToEndTest {
  @TempDir Path folder;

  @Test
  void initValidateRunShowTestOnANewProject() throws Exception {
    Path project = folder.resolve("shop");
    CliRun init = CliRun.execute("init", project.toString());
    assertThat(init.exitCode()).as(init.err()).isZero();
    assertThat(project.resolve("conform.yaml")).exists();

    CliRun validate = CliRun.of(project, "validate");
    assertThat(validate.exitCode()).as(validate.err()).isZero();
    assertThat(validate.out()).contains("ok: 1 source(s), 1 dimension(s), 2 test(s)");

    CliRun run = CliRun.of(project, "run", "--timings");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).containsPattern("dim_customer\\s+3\\s+0\\s+3\\s+3\\s+0\\s+0");
    // Every row converts: the rejects table gets no empty insert.
    assertThat(run.out() + run.err())
        .containsPattern(
            "dim_customer +\\d+/\\d+ +skipped \\(tally rows_not_converted is 0\\) +reject rows that do"
                + " not convert");

    Files.writeString(
        project.resolve("data/customers/2024-02-01.csv"),
        """
        customer_id,name,city,updated_at,op
        1,Amal,Alexandria,2024-02-01 09:00:00,U
        2,Omar,Giza,2023-12-15 08:00:00,U
        3,,Aswan,2024-02-01 11:00:00,U
        4,Hana,Luxor,not-a-date,I
        2,,,2024-02-02 00:00:00,D
        """);
    CliRun batch = CliRun.of(project, "run");
    assertThat(batch.exitCode()).as(batch.err()).isZero();
    assertThat(batch.out()).containsPattern("dim_customer\\s+5\\s+2\\s+3\\s+2\\s+1\\s+1");

    CliRun show = CliRun.of(project, "show", "dim_customer", "--format", "csv");
    assertThat(show.exitCode()).as(show.err()).isZero();
    assertThat(show.out().lines().map(l -> l.substring(l.indexOf(',') + 1)))
        .containsExactly(
            "customer_id,name,city,city_upper,valid_from,valid_to,is_current",
            "1,Amal,Cairo,CAIRO,2024-01-01 09:00:00,2024-02-01 09:00:00,false",
            "1,Amal,Alexandria,ALEXANDRIA,2024-02-01 09:00:00,9999-12-31 00:00:00,true",
            "2,Omar,Giza,GIZA,2023-12-15 08:00:00,2024-02-02 00:00:00,false",
            "3,Nour,Aswan,ASWAN,2024-01-01 11:00:00,9999-12-31 00:00:00,true");

    CliRun rejects = CliRun.of(project, "show", "dim_customer", "--rejects", "--format", "csv");
    assertThat(rejects.out())
        .contains("check failed: not_null(name)")
        .contains("column 'updated_at': cannot convert 'not-a-date' to timestamp");

    CliRun again = CliRun.of(project, "run");
    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).containsPattern("dim_customer.*up to date");

    CliRun test = CliRun.of(project, "test");
    assertThat(test.exitCode()).as(test.out() + test.err()).isZero();
    assertThat(test.out()).contains("2 passed, 0 failed");

    CliRun runs = CliRun.of(project, "runs");
    assertThat(runs.out()).containsPattern("2\\s+succeeded").containsPattern("1\\s+succeeded");
  }

  @Test
  void aFailingSpecTestPrintsARowDiff() throws Exception {
    Path project = folder.resolve("shop");
    CliRun.execute("init", project.toString());
    Path test = project.resolve("tests/dim_customer_test.yaml");
    Files.writeString(
        test, Files.readString(test).replace("city: Giza, valid_from", "city: Gizeh, valid_from"));

    CliRun run = CliRun.of(project, "test");

    assertThat(run.exitCode()).isEqualTo(ExitCode.TESTS_FAILED);
    assertThat(run.out())
        .contains("FAIL tests/dim_customer_test.yaml:16:5 a_late_event_splits_history")
        .contains("rows differ: - expected but missing, + present but not expected")
        .containsPattern("-\\s+1\\s+Gizeh\\s+2024-02-01 09:00:00\\s+2024-03-01 09:00:00")
        .containsPattern("\\+\\s+1\\s+Giza\\s+2024-02-01 09:00:00\\s+2024-03-01 09:00:00")
        .contains("1 passed, 1 failed");
  }

  @Test
  void aBrokenSpecReportsEveryProblemWithItsPlace() throws Exception {
    Path project = folder.resolve("shop");
    CliRun.execute("init", project.toString());
    Path model = project.resolve("models/customers.yaml");
    Files.writeString(
        model,
        Files.readString(model)
            .replace("from: customers", "from: customer")
            .replace("sequence_by: updated_at", "sequence_by: updatd_at"));

    CliRun run = CliRun.of(project, "run");

    assertThat(run.exitCode()).isEqualTo(ExitCode.SPEC_ERRORS);
    assertThat(run.err())
        .contains(
            "models/customers.yaml:10:11: error UNKNOWN_SOURCE: cannot resolve source 'customer'; did you mean 'customers'?")
        .contains("error: 1 error in the project's specs")
        .doesNotContain("Exception");
  }

  @Test
  void aRunThatFailsLeavesTheTargetsAsTheyWere() throws Exception {
    Path project = folder.resolve("shop");
    CliRun.execute("init", project.toString());
    assertThat(CliRun.of(project, "run").exitCode()).isZero();
    String before = CliRun.of(project, "show", "dim_customer", "--format", "csv").out();
    Path model = project.resolve("models/customers.yaml");
    Files.writeString(
        model,
        Files.readString(model)
            .replace(
                "checks: [\"not_null(name)\"]",
                "checks: [\"not_null(name)\"]\n    on_check_failure: fail"));
    Files.writeString(
        project.resolve("data/customers/2024-02-01.csv"),
        "customer_id,name,city,updated_at,op\n1,Amal,Giza,2024-02-01 09:00:00,U\n3,,Aswan,2024-02-01 11:00:00,U\n");

    CliRun run = CliRun.of(project, "run");

    assertThat(run.exitCode()).isEqualTo(ExitCode.RUN_FAILED);
    assertThat(run.err())
        .contains(
            "error: 1 row(s) of source 'customers' failed a check of dimension 'dim_customer' (on_check_failure: fail); nothing was changed");
    assertThat(CliRun.of(project, "show", "dim_customer", "--format", "csv").out())
        .isEqualTo(before);
    assertThat(CliRun.of(project, "runs").out()).containsPattern("2\\s+failed");
  }

  @Test
  void aFullRefreshRebuildsFromEveryFileOnceAndFromNoFilesToEmptyTables() throws Exception {
    Path project = folder.resolve("shop");
    CliRun.execute("init", project.toString());
    Files.writeString(
        project.resolve("data/customers/2024-02-01.csv"),
        "customer_id,name,city,updated_at,op\n1,Amal,Giza,2024-02-01 09:00:00,U\n"
            + "3,,Aswan,2024-02-01 11:00:00,U\n");
    assertThat(CliRun.of(project, "run").exitCode()).isZero();
    String table = CliRun.of(project, "show", "dim_customer", "--format", "csv").out();
    long rejects = CliRun.of(project, "show", "dim_customer", "--rejects").out().lines().count();

    CliRun refresh = CliRun.of(project, "run", "--full-refresh");

    assertThat(refresh.exitCode()).as(refresh.err()).isZero();
    assertThat(refresh.out()).containsPattern("dim_customer\\s+5\\s+1\\s+4\\s+4");
    assertThat(CliRun.of(project, "show", "dim_customer", "--format", "csv").out())
        .isEqualTo(table);
    assertThat(CliRun.of(project, "show", "dim_customer", "--rejects").out().lines().count())
        .as("rejects are not listed twice")
        .isEqualTo(rejects);
    assertThat(CliRun.of(project, "run").out()).containsPattern("dim_customer.*up to date");

    try (var files = Files.list(project.resolve("data/customers"))) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    CliRun empty = CliRun.of(project, "run", "--full-refresh");

    assertThat(empty.exitCode()).as(empty.err()).isZero();
    assertThat(CliRun.of(project, "show", "dim_customer", "--format", "csv").out().lines())
        .containsExactly(
            "customer_sk,customer_id,name,city,city_upper,valid_from,valid_to,is_current");
  }

  @Test
  void initIntoUsedFilesAndABadRunsLimitAreUsageErrors() throws Exception {
    Path project = folder.resolve("shop");
    Files.createDirectories(project.resolve("models"));
    Files.writeString(project.resolve("models/customers.yaml"), "mine");

    CliRun init = CliRun.execute("init", project.toString());

    assertThat(init.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(init.err())
        .contains(
            "error: Cannot create a project in "
                + project
                + ": "
                + project.resolve("models/customers.yaml")
                + " already exists; choose an empty folder, or move that file away")
        .doesNotContain("Exception");
    assertThat(project.resolve("conform.yaml")).doesNotExist();
    assertThat(project.resolve("models/customers.yaml")).hasContent("mine");

    Path other = folder.resolve("other");
    CliRun.execute("init", other.toString());
    CliRun runs = CliRun.of(other, "runs", "--limit", "0");
    assertThat(runs.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(runs.err())
        .contains("error: --limit must be at least 1 (it is 0): how many runs to list")
        .doesNotContain("Exception");
  }

  @Test
  void unknownModelsAndMissingProjectsAreUserErrors() {
    CliRun missing = CliRun.of(folder.resolve("nowhere"), "validate");
    assertThat(missing.exitCode()).isEqualTo(ExitCode.SPEC_ERRORS);
    assertThat(missing.err())
        .contains(
            "conform.yaml:1:1: error MISSING_FILE: cannot find the project file conform.yaml");

    Path project = folder.resolve("shop");
    CliRun.execute("init", project.toString());
    CliRun unknown = CliRun.of(project, "show", "dim_custmer");
    assertThat(unknown.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(unknown.err())
        .contains("error: Unknown model 'dim_custmer'; did you mean 'dim_customer'?");

    CliRun usage = CliRun.execute("run", "--no-such-option");
    assertThat(usage.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(usage.err()).contains("error: Unknown option: '--no-such-option'");
  }

  @Test
  void fmtConvertsBetweenSpellingsWithoutLoss() throws Exception {
    Path project = folder.resolve("shop");
    CliRun.execute("init", project.toString());
    Path yaml = project.resolve("models/customers.yaml");
    String original = CliRun.of(project, "run").out();
    assertThat(original).contains("dim_customer");

    CliRun toDsl = CliRun.execute("fmt", "--to", "dsl", "--write", yaml.toString());
    assertThat(toDsl.exitCode()).as(toDsl.err()).isZero();
    Path dsl = project.resolve("models/customers.conform");
    assertThat(dsl).exists();
    assertThat(yaml).doesNotExist();
    assertThat(Files.readString(dsl)).contains("dimension dim_customer from customers");

    CliRun test = CliRun.of(project, "test");
    assertThat(test.out()).as(test.err()).contains("2 passed, 0 failed");

    CliRun back = CliRun.execute("fmt", "--to", "yaml", dsl.toString());
    assertThat(back.exitCode()).isZero();
    assertThat(back.out()).contains("sequence_by: updated_at").contains("track: [city]");
  }

  /**
   * Without tie-breakers the journal leaves out events a version shows by itself; a tie-breaker
   * that is no column makes it keep every event. Reading the old journal as the new layout would
   * lose history, so the run stops and asks for a full refresh.
   */
  @Test
  void aSpecThatChangesWhatTheJournalKeepsNeedsAFullRefresh() throws Exception {
    Path project = folder.resolve("shop");
    CliRun.execute("init", project.toString());
    assertThat(CliRun.of(project, "run").exitCode()).isZero();
    Path spec = project.resolve("models/customers.yaml");
    Files.writeString(
        spec,
        Files.readString(spec)
            .replace(
                "      sequence_by: updated_at\n",
                "      sequence_by: updated_at\n      tie_breaker: [\"length(name)\"]\n"));
    Files.writeString(
        project.resolve("data/customers/2024-02-01.csv"),
        "customer_id,name,city,updated_at,op\n1,Amal,Alexandria,2024-02-01 09:00:00,U\n");

    CliRun run = CliRun.of(project, "run");

    assertThat(run.exitCode()).isEqualTo(ExitCode.RUN_FAILED);
    assertThat(run.err())
        .contains(
            "Cannot run model 'dim_customer' incrementally: its journal keeps the events versions"
                + " cannot show, but its spec now asks for every event (its tie-breakers or their"
                + " columns changed); rebuild it with conform run --full-refresh dim_customer");
    CliRun refresh = CliRun.of(project, "run", "--full-refresh");
    assertThat(refresh.exitCode()).as(refresh.err()).isZero();
    CliRun after = CliRun.of(project, "run");
    assertThat(after.exitCode()).as(after.err()).isZero();
    assertThat(after.out()).containsPattern("dim_customer.*up to date");
  }

  /** Each runtime falls back to its own warehouse when the project names none it can use. */
  @Test
  void aProjectWhoseTargetIsASparkLakeRunsOnDuckDbInItsDefaultFile() throws Exception {
    Path project = folder.resolve("shop");
    CliRun.execute("init", project.toString());
    Path settings = project.resolve("conform.yaml");
    Files.writeString(
        settings,
        Files.readString(settings)
            .replace("target: warehouse", "target: lake")
            .replace(
                "  warehouse: { type: duckdb, path: target/warehouse.duckdb }",
                "  lake: { type: spark, path: lake }"));

    CliRun run = CliRun.of(project, "run", "--runtime", "jdbc");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).containsPattern("dim_customer\\s+3\\s+0\\s+3\\s+3");
    assertThat(project.resolve("target/warehouse.duckdb")).exists();
    assertThat(project.resolve("lake")).doesNotExist();
  }

  @Test
  void planPrintsTheLogicalPlanAndSqlForADialect() throws Exception {
    Path project = folder.resolve("shop");
    CliRun.execute("init", project.toString());

    CliRun plan = CliRun.of(project, "plan", "--dialect", "postgresql");

    assertThat(plan.exitCode()).as(plan.err()).isZero();
    assertThat(plan.out())
        .contains("== model dim_customer (postgresql)")
        .contains("-- 1. create dim_customer")
        .contains("CREATE TABLE IF NOT EXISTS \"dim_customer\"")
        .contains("OVER (PARTITION BY")
        .contains("LAG(");
    assertThat(plan.out()).contains("find the keys the batch touches");

    CliRun refresh = CliRun.of(project, "plan", "--full-refresh", "--show", "sql");
    assertThat(refresh.exitCode()).as(refresh.err()).isZero();
    assertThat(refresh.out())
        .contains("-- 1. drop dim_customer")
        .contains("-- 2. create dim_customer")
        .contains("-- 12. gather the events to replay")
        .contains("-- 13. find where versions start and end")
        .contains("-- 14. read the marks as replayed events")
        .contains("-- 15. count new events")
        .contains("-- 17. write the versions")
        .doesNotContain("-- tally")
        .doesNotContain("find the keys the batch touches")
        .doesNotContain("remove the rewritten history");

    // On Spark a first run stores no replay: the versions' statement tallies what others need.
    CliRun spark =
        CliRun.of(project, "plan", "--full-refresh", "--show", "sql", "--dialect", "spark");
    assertThat(spark.exitCode()).as(spark.err()).isZero();
    assertThat(spark.out())
        .doesNotContain("count new events")
        .doesNotContain("read the marks as replayed events")
        // The rows loaded are counted as the versions' statement reads them, not by the load.
        .contains("its rows counted as tally rows_loaded")
        .contains(
            "-- tally rows_loaded (measures ROWS_READ): SELECT COUNT(*) `rows` FROM"
                + " `_conform_dim_customer_raw`\n"
                + "-- tally rows_rejected (measures ROWS_REJECTED): SELECT COUNT(*) `rows` FROM"
                + " `_conform_dim_customer_staged` WHERE `_conform_rejected` IS TRUE\n"
                + "-- tally new_events (measures EVENTS_NEW): SELECT COUNT(*) `rows` FROM"
                + " `_conform_dim_customer_boundaries` WHERE `_conform_new` IS TRUE AND"
                + " `_conform_dup` IS FALSE\n"
                + "-- tally events_to_journal: SELECT COUNT(*) `rows` FROM"
                + " `_conform_dim_customer_boundaries` WHERE `_conform_journal` IS TRUE AND"
                + " `_conform_dup` IS FALSE AND `_conform_ctx` IS FALSE\n"
                + "INSERT INTO `dim_customer`")
        .contains(
            "-- 12. journal the events the versions do not show\n"
                + "-- runs only when tally events_to_journal is not 0\n"
                + "INSERT INTO `dim_customer__journal`")
        // Rows without key or sequence are counted by the versions' statement, written after it.
        .contains(
            "-- 13. reject rows without key or sequence, or failing a check\n"
                + "-- runs only when tally rows_rejected is not 0\n"
                + "INSERT INTO `dim_customer__rejects`");
    CliRun bad = CliRun.of(project, "plan", "--dialect", "oracle");
    assertThat(bad.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(bad.err()).contains("Unknown dialect 'oracle'");
  }
}
