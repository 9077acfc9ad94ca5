package dev.conform.runtime.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conform.spi.Column;
import dev.conform.spi.ConformRuntime;
import dev.conform.spi.DataType;
import dev.conform.spi.Metric;
import dev.conform.spi.ModelPlan;
import dev.conform.spi.ModelResult;
import dev.conform.spi.Plan;
import dev.conform.spi.RunListener;
import dev.conform.spi.RuntimeFailure;
import dev.conform.spi.SourceData;
import dev.conform.spi.SqlDialect;
import dev.conform.spi.Step;
import dev.conform.spi.WarehouseConnection;
import dev.conform.testing.SkippedSteps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs, failures and restores of the Spark runtime on Iceberg tables in a warehouse folder. */
class SparkRuntimeTest {
  @TempDir Path warehouse;

  @BeforeAll
  static void startSpark() {
    SharedSpark.session();
  }

  private ConformRuntime open() {
    return open(Map.of());
  }

  private ConformRuntime open(Map<String, String> properties) {
    return new SparkRuntimeProvider()
        .open(new WarehouseConnection("lake", "spark", warehouse.toString(), properties));
  }

  private static Plan plan(Step... steps) {
    return new Plan(SqlDialect.SPARK, List.of(new ModelPlan("m", List.of(steps))));
  }

  private static Step sql(String text) {
    return Step.Statement.of(text, text);
  }

  /** Runs {@code steps} as the plan of one model, and returns that model's counts. */
  private static ModelResult run(ConformRuntime runtime, RunListener listener, Step... steps) {
    return runtime.execute(plan(steps), listener).models().get(0);
  }

  private static List<List<String>> rows(ConformRuntime runtime, String sql) {
    return runtime.query(sql, -1).rows();
  }

  @Test
  void materializedRowsDoNotFollowLaterChangesToTheirTables() {
    try (ConformRuntime runtime = open()) {
      ModelResult result =
          run(
              runtime,
              RunListener.NONE,
              sql("CREATE TABLE IF NOT EXISTS t (k BIGINT, v STRING)"),
              sql("INSERT INTO t VALUES (1, 'a'), (2, 'b')"),
              new Step.Materialize(
                  "keep", "_conform_kept", "SELECT * FROM t", "CREATE TEMPORARY VIEW ..."),
              Step.Statement.counting(
                  "delete", "DELETE FROM t WHERE k = 1", Metric.ROWS_DELETED, "t"),
              Step.Statement.counting(
                  "copy back",
                  "INSERT INTO t SELECT k + 10, v FROM _conform_kept",
                  Metric.ROWS_INSERTED,
                  "t"),
              new Step.Measure("count", "SELECT count(*) FROM _conform_kept", Metric.EVENTS_NEW));

      assertThat(rows(runtime, "SELECT k, v FROM t ORDER BY k"))
          .containsExactly(List.of("2", "b"), List.of("11", "a"), List.of("12", "b"));
      assertThat(result.count(Metric.ROWS_INSERTED)).isEqualTo(2);
      assertThat(result.count(Metric.ROWS_DELETED)).isEqualTo(1);
      assertThat(result.count(Metric.EVENTS_NEW)).isEqualTo(2);
      assertThat(runtime.tableColumns("t")).isPresent();
      assertThat(runtime.tableColumns("_conform_kept")).as("temporary views are gone").isEmpty();
    }
  }

  /**
   * A statement counts its tallies as it reads their relations (an empty one too), later statements
   * run or are skipped on them, and the relations read as before afterwards.
   */
  @Test
  void aStatementTalliesTheRowsItReadsAndLaterStatementsRunOnTheCounts() {
    SkippedSteps listener = new SkippedSteps();
    try (ConformRuntime runtime = open()) {
      ModelResult result =
          run(
              runtime,
              listener,
              sql("CREATE TABLE IF NOT EXISTS t (k BIGINT)"),
              sql(
                  "CREATE TEMPORARY VIEW _conform_flags AS SELECT id AS k, id % 2 = 0 AS even,"
                      + " id < 3 AS small, CAST(NULL AS BOOLEAN) AS unknown FROM range(10)"),
              sql(
                  "CREATE TEMPORARY VIEW _conform_none AS SELECT id AS k, TRUE AS f"
                      + " FROM range(0)"),
              Step.Statement.counting(
                      "write",
                      "INSERT INTO t SELECT k FROM _conform_flags WHERE even"
                          + " UNION ALL SELECT k FROM _conform_none",
                      Metric.ROWS_INSERTED,
                      "t")
                  .withTallies(
                      List.of(
                          tally("evens", Metric.EVENTS_NEW, "_conform_flags", "even", true),
                          tally(
                              "small_odd",
                              null,
                              "_conform_flags",
                              new java.util.LinkedHashMap<>(Map.of("even", false, "small", true))),
                          tally("unknown", null, "_conform_flags", "unknown", true),
                          tally("none", null, "_conform_none", "f", true))),
              Step.Statement.of("never", "INSERT INTO t VALUES (100)").withOnlyIf("unknown"),
              Step.Statement.of("nor", "INSERT INTO t VALUES (101)").withOnlyIf("none"),
              Step.Statement.of("once", "INSERT INTO t VALUES (200)").withOnlyIf("small_odd"),
              new Step.Measure(
                  "count pairs",
                  "SELECT count(*) FROM _conform_flags a JOIN _conform_flags b USING (k)",
                  Metric.ROWS_CLOSED));

      assertThat(rows(runtime, "SELECT k FROM t ORDER BY k"))
          .containsExactly(
              List.of("0"), List.of("2"), List.of("4"), List.of("6"), List.of("8"), List.of("200"));
      assertThat(result.count(Metric.ROWS_INSERTED)).isEqualTo(5);
      assertThat(result.count(Metric.EVENTS_NEW)).isEqualTo(5);
      assertThat(result.count(Metric.ROWS_CLOSED))
          .as("the relation reads as before, without its observation")
          .isEqualTo(10);
      assertThat(listener.skipped())
          .containsExactly("never: tally unknown is 0", "nor: tally none is 0");
    }
  }

  /**
   * A statement Spark finds it need not read a tallied relation for, here by a filter that is never
   * true, loses the relation's observation: its tallies are then counted on the relation itself.
   */
  @Test
  void aTallyOfARelationTheStatementNeedNotReadCountsTheRelation() {
    try (ConformRuntime runtime = open()) {
      ModelResult result =
          run(
              runtime,
              RunListener.NONE,
              sql("CREATE TABLE IF NOT EXISTS t (k BIGINT)"),
              sql(
                  "CREATE TEMPORARY VIEW _conform_flags AS SELECT id AS k, id % 2 = 0 AS even"
                      + " FROM range(10)"),
              Step.Statement.counting(
                      "write",
                      "INSERT INTO t SELECT k FROM _conform_flags WHERE even AND 1 = 0",
                      Metric.ROWS_INSERTED,
                      "t")
                  .withTallies(
                      List.of(tally("evens", Metric.EVENTS_NEW, "_conform_flags", "even", true))),
              Step.Statement.of("then", "INSERT INTO t VALUES (100)").withOnlyIf("evens"));

      assertThat(rows(runtime, "SELECT k FROM t")).containsExactly(List.of("100"));
      assertThat(result.count(Metric.EVENTS_NEW)).isEqualTo(5);
    }
  }

  /**
   * Tallies of a relation and of one it reads, the one read first (as {@link Step.Statement} asks):
   * both are counted as the statement reads them, each over its own rows.
   */
  @Test
  void talliesOfARelationAndOfOneItReadsAreBothCounted() {
    try (ConformRuntime runtime = open()) {
      ModelResult result =
          run(
              runtime,
              RunListener.NONE,
              sql("CREATE TABLE IF NOT EXISTS t (k BIGINT)"),
              sql(
                  "CREATE TEMPORARY VIEW _conform_inner AS SELECT id AS k, id < 4 AS small"
                      + " FROM range(10)"),
              sql(
                  "CREATE TEMPORARY VIEW _conform_outer AS SELECT k, k % 2 = 0 AS even"
                      + " FROM _conform_inner WHERE k > 0"),
              Step.Statement.counting(
                      "write",
                      "INSERT INTO t SELECT k FROM _conform_outer",
                      Metric.ROWS_INSERTED,
                      "t")
                  .withTallies(
                      List.of(
                          tally("small", Metric.EVENTS_NEW, "_conform_inner", "small", true),
                          tally("evens", Metric.ROWS_CLOSED, "_conform_outer", "even", true))));

      assertThat(result.count(Metric.ROWS_INSERTED)).isEqualTo(9);
      assertThat(result.count(Metric.EVENTS_NEW)).as("0 to 3").isEqualTo(4);
      assertThat(result.count(Metric.ROWS_CLOSED)).as("2, 4, 6 and 8").isEqualTo(4);
    }
  }

  /**
   * A load whose staged rows a later statement tallies does not count them itself: the rows read
   * are those that did not convert plus the tally's, once each, from Parquet read as it is and from
   * CSV converted and checked.
   */
  @Test
  void aLoadLeavesCountingItsRowsToTheStatementThatTalliesThem(@TempDir Path files)
      throws IOException {
    Path parquet = files.resolve("events.parquet");
    SharedSpark.session()
        .sql("SELECT id AS k FROM range(7)")
        .coalesce(1)
        .write()
        .parquet(parquet.toString());
    Path csv = files.resolve("events.csv");
    Files.writeString(csv, "k\n1\n2\nthree\n4\n");
    try (ConformRuntime runtime = open()) {
      for (var source : List.of(Map.entry(parquet, 7L), Map.entry(csv, 3L))) {
        SourceData.Format format =
            source.getKey().toString().endsWith(".csv")
                ? SourceData.Format.CSV
                : SourceData.Format.PARQUET;
        ModelResult result =
            run(
                runtime,
                RunListener.NONE,
                sql("CREATE OR REPLACE TABLE t (k BIGINT)"),
                new Step.LoadSource(
                    "load",
                    "events",
                    new SourceData.Files(format, List.of(source.getKey().toString()), Map.of()),
                    List.of(Column.of("k", DataType.BIGINT)),
                    "_conform_raw",
                    "_conform_raw_rejects",
                    Optional.of("rows_loaded")),
                Step.Statement.counting(
                        "write",
                        "INSERT INTO t SELECT k FROM _conform_raw",
                        Metric.ROWS_INSERTED,
                        "t")
                    .withTallies(
                        List.of(tally("rows_loaded", Metric.ROWS_READ, "_conform_raw", Map.of()))));

        long staged = source.getValue();
        long notConverted = format == SourceData.Format.CSV ? 1 : 0;
        assertThat(result.count(Metric.ROWS_INSERTED)).as(format.name()).isEqualTo(staged);
        assertThat(result.count(Metric.ROWS_REJECTED)).as(format.name()).isEqualTo(notConverted);
        assertThat(result.count(Metric.ROWS_READ))
            .as(format.name())
            .isEqualTo(staged + notConverted);
      }
    }
  }

  /**
   * A stored relation under the broadcast threshold is sent to every task of a join, whatever Spark
   * estimated of the query that made it; one over the threshold is not.
   */
  @Test
  void aSmallStoredRelationIsBroadcastInJoins() {
    SparkSession spark = SharedSpark.session().newSession();
    // A join multiplies the estimates of its sides: Spark takes these 10 rows for billions.
    Dataset<Row> small =
        spark
            .sql(
                "SELECT a.id FROM range(100000) a JOIN range(100000) b ON a.id = b.id * 10000"
                    + " WHERE b.id < 10")
            .localCheckpoint(true);
    Dataset<Row> large = spark.range(200_000).toDF("id").localCheckpoint(true);

    assertThat(joinWithTable(spark, SparkRuntime.asStored(spark, small)))
        .contains("BroadcastHashJoin");
    spark.conf().set("spark.sql.autoBroadcastJoinThreshold", "1024");
    assertThat(joinWithTable(spark, SparkRuntime.asStored(spark, large)))
        .doesNotContain("BroadcastHashJoin");
    assertThat(joinWithTable(spark, small)).doesNotContain("BroadcastHashJoin");

    // 100,000 rows of three numbers: 3.2 MB as rows, about 9 MB as the objects Spark stores.
    spark.conf().set("spark.sql.autoBroadcastJoinThreshold", String.valueOf(4 << 20));
    String numbers =
        "SELECT a.id, a.id * 2 AS a, a.id * 3 AS b FROM range(100000) a JOIN range(100000) b"
            + " ON a.id = b.id";
    assertThat(joinWithTable(spark, SparkRuntime.asStored(spark, stored(spark, numbers))))
        .contains("BroadcastHashJoin");
    String texts =
        "SELECT a.id, CAST(a.id AS STRING) AS a, a.id * 3 AS b FROM range(100000) a"
            + " JOIN range(100000) b ON a.id = b.id";
    assertThat(joinWithTable(spark, SparkRuntime.asStored(spark, stored(spark, texts))))
        .as("rows with text are judged by the objects Spark stores")
        .doesNotContain("BroadcastHashJoin");
  }

  /**
   * A stored relation of many small partitions in no order is read in as few as its bytes need, one
   * per core at least, with all its rows; one partitioned by a column keeps its partitions.
   */
  @Test
  void aStoredRelationOfManySmallPartitionsIsReadInFewer() {
    SparkSession spark = SharedSpark.session().newSession();
    List<Row> numbers = new ArrayList<>();
    for (long i = 0; i < 1000; i++) {
      numbers.add(RowFactory.create(i));
    }
    StructType schema = new StructType().add("k", DataTypes.LongType);
    // As a table's files are read: partitions in no order the plan knows.
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    spark.createDataFrame(context.parallelize(numbers, 40), schema).createOrReplaceTempView("v");
    Dataset<Row> scattered = stored(spark, "SELECT k, k * 2 AS twice FROM v");
    assertThat(scattered.rdd().getNumPartitions()).isEqualTo(40);

    Dataset<Row> read = SparkRuntime.asStored(spark, scattered);
    assertThat(read.rdd().getNumPartitions()).isEqualTo(spark.sparkContext().defaultParallelism());
    assertThat(read.selectExpr("count(*)", "sum(twice)").first())
        .isEqualTo(RowFactory.create(1000L, 999_000L));

    spark.conf().set("spark.sql.adaptive.enabled", "false");
    spark.conf().set("spark.sql.shuffle.partitions", "7");
    Dataset<Row> grouped = stored(spark, "SELECT k % 10 AS d, count(*) AS n FROM v GROUP BY 1");
    assertThat(SparkRuntime.asStored(spark, grouped).rdd().getNumPartitions())
        .as("hash partitioned by d")
        .isEqualTo(7);
  }

  private static Dataset<Row> stored(SparkSession spark, String query) {
    return spark.sql(query).localCheckpoint(true);
  }

  /** The physical plan of joining {@code rows} to a million rows. */
  private static String joinWithTable(SparkSession spark, Dataset<Row> rows) {
    rows.createOrReplaceTempView("stored");
    return spark
        .sql(
            "SELECT count(*) FROM range(1000000) t WHERE EXISTS (SELECT 1 FROM stored s WHERE s.id = t.id)")
        .queryExecution()
        .executedPlan()
        .toString();
  }

  private static Step.Tally tally(
      String name, Metric metric, String relation, String column, boolean value) {
    return tally(name, metric, relation, Map.of(column, value));
  }

  private static Step.Tally tally(
      String name, Metric metric, String relation, Map<String, Boolean> flags) {
    // The Spark runtime counts while the statement runs; the query is for other runtimes.
    return new Step.Tally(name, Optional.ofNullable(metric), relation, flags, "SELECT 1 / 0");
  }

  /**
   * A counting delete counts the rows it deletes, also where the data file had deleted rows before:
   * the delete file that then replaces the data file's earlier one holds those positions again.
   */
  @Test
  void aDeleteCountsOnlyTheRowsItDeletes() {
    try (ConformRuntime runtime = open()) {
      ModelResult first =
          run(
              runtime,
              RunListener.NONE,
              sql("CREATE TABLE IF NOT EXISTS t (k BIGINT)"),
              sql("INSERT INTO t SELECT /*+ COALESCE(1) */ * FROM VALUES (1), (2), (3)"),
              Step.Statement.counting(
                  "delete", "DELETE FROM t WHERE k = 1", Metric.ROWS_DELETED, "t"));
      ModelResult second =
          run(
              runtime,
              RunListener.NONE,
              Step.Statement.counting(
                  "delete", "DELETE FROM t WHERE k = 2", Metric.ROWS_DELETED, "t"));

      assertThat(first.count(Metric.ROWS_DELETED)).isEqualTo(1);
      assertThat(second.count(Metric.ROWS_DELETED))
          .as("the second delete in the file")
          .isEqualTo(1);
      assertThat(rows(runtime, "SELECT k FROM t")).containsExactly(List.of("3"));
    }
  }

  /**
   * Rows read with their positions are deleted by writing those positions, without running the
   * step's statement; a data file keeps one delete file of its own, which a later delete replaces.
   */
  @Test
  void rowsAreDeletedByThePositionsTheyWereReadAt() {
    try (ConformRuntime runtime = open()) {
      runtime.execute(
          plan(
              sql("CREATE TABLE IF NOT EXISTS t (k BIGINT, v STRING)"),
              sql(
                  "INSERT INTO t SELECT /*+ COALESCE(1) */ * FROM VALUES (1, 'a'), (2, 'b'), (3, 'c')"),
              sql("INSERT INTO t SELECT /*+ COALESCE(1) */ * FROM VALUES (11, 'x'), (12, 'y')")),
          RunListener.NONE);

      runtime.execute(plan(keepPositions(), deletePositions("k IN (1, 12)")), RunListener.NONE);
      assertThat(rows(runtime, "SELECT k FROM t ORDER BY k"))
          .containsExactly(List.of("2"), List.of("3"), List.of("11"));
      runtime.execute(plan(keepPositions(), deletePositions("k = 3")), RunListener.NONE);

      assertThat(rows(runtime, "SELECT k, v FROM t ORDER BY k"))
          .containsExactly(List.of("2", "b"), List.of("11", "x"));
      // Without replacing, the first data file would have two delete files of a position each.
      assertThat(
              rows(
                  runtime,
                  "SELECT content, record_count FROM "
                      + SparkSessions.NAMESPACE
                      + ".t.files ORDER BY content, record_count"))
          .as("data files (0) and position delete files (1), with their rows")
          .containsExactly(
              List.of("0", "2"), List.of("0", "3"), List.of("1", "1"), List.of("1", "2"));
    }
  }

  @Test
  void aDeleteOfRowsWhoseFileIsGoneFailsAndLeavesTheTable() {
    try (ConformRuntime runtime = open()) {
      runtime.execute(
          plan(
              sql("CREATE TABLE IF NOT EXISTS t (k BIGINT, v STRING)"),
              sql("INSERT INTO t VALUES (1, 'a'), (2, 'b')")),
          RunListener.NONE);

      assertThatThrownBy(
              () ->
                  runtime.execute(
                      plan(
                          keepPositions(),
                          sql("INSERT OVERWRITE t SELECT k, upper(v) FROM t"),
                          deletePositions("k = 1")),
                      RunListener.NONE))
          .isInstanceOf(RuntimeFailure.class)
          .hasMessageStartingWith(
              "Cannot run model 'm', step 'remove rows': Cannot delete rows of table 't': its file ")
          .hasMessageEndingWith(
              " is gone since they were read, as another writer changed the table during the run;"
                  + " run again");

      assertThat(rows(runtime, "SELECT k, v FROM t ORDER BY k"))
          .containsExactly(List.of("1", "a"), List.of("2", "b"));
    }
  }

  @Test
  void aTableWithoutPositionDeleteFilesSaysHowToGetThem() {
    try (ConformRuntime runtime = open()) {
      runtime.execute(
          plan(
              sql("CREATE TABLE IF NOT EXISTS t (k BIGINT) TBLPROPERTIES ('format-version' = '1')"),
              sql("INSERT INTO t VALUES (1), (2)")),
          RunListener.NONE);

      assertThatThrownBy(
              () ->
                  runtime.execute(
                      plan(
                          sql("INSERT INTO t VALUES (3)"),
                          keepPositions(),
                          deletePositions("k = 1")),
                      RunListener.NONE))
          .isInstanceOf(RuntimeFailure.class)
          .hasMessage(
              "Cannot run model 'm', step 'remove rows': Cannot delete rows of table 't': it is an"
                  + " Iceberg table of format version 1, and Conform deletes rows by position in"
                  + " version 2, which it creates its tables with; recreate the table with"
                  + " --full-refresh");

      assertThat(rows(runtime, "SELECT k FROM t ORDER BY k"))
          .containsExactly(List.of("1"), List.of("2"));
    }
  }

  /** Keeps the rows of table {@code t} with their positions: k, f (data file) and p. */
  private static Step keepPositions() {
    return new Step.Materialize(
        "keep", "_conform_kept", "SELECT k, _file f, _pos p FROM t", "CREATE TEMPORARY VIEW ...");
  }

  /** Deletes the kept rows of {@code t} where {@code condition}; running its statement fails. */
  private static Step deletePositions(String condition) {
    return new Step.DeleteRows(
        "remove rows",
        "t",
        "SELECT f, p FROM _conform_kept WHERE " + condition,
        "SELECT raise_error('the statement ran')");
  }

  @Test
  void aFailedRunLeavesEveryTableAsItWas() {
    try (ConformRuntime runtime = open()) {
      runtime.execute(
          plan(
              sql("CREATE TABLE IF NOT EXISTS t (k BIGINT, v STRING)"),
              sql("INSERT INTO t VALUES (1, 'a')"),
              sql("CREATE TABLE IF NOT EXISTS empty (k BIGINT)")),
          RunListener.NONE);

      assertThatThrownBy(
              () ->
                  runtime.execute(
                      plan(
                          sql("INSERT INTO t VALUES (2, 'b')"),
                          sql("DELETE FROM t WHERE k = 1"),
                          sql("CREATE OR REPLACE TABLE t (k BIGINT, v STRING, w INT)"),
                          sql("INSERT INTO empty VALUES (7)"),
                          sql("CREATE TABLE IF NOT EXISTS created (k BIGINT)"),
                          sql("SELECT no_such_column FROM t")),
                      RunListener.NONE))
          .isInstanceOf(RuntimeFailure.class)
          .hasMessageStartingWith("Cannot run model 'm', step 'SELECT no_such_column FROM t': ")
          .hasMessageContaining("no_such_column");

      assertThat(rows(runtime, "SELECT * FROM t")).containsExactly(List.of("1", "a"));
      assertThat(runtime.tableColumns("t").orElseThrow()).hasSize(2);
      assertThat(rows(runtime, "SELECT * FROM empty")).isEmpty();
      assertThat(runtime.tableColumns("created")).isEmpty();
    }
  }

  @Test
  void aFailedStepSaysWhatTheEngineSaidNotHowTheJobFailed() {
    try (ConformRuntime runtime = open()) {
      assertThatThrownBy(
              () ->
                  runtime.execute(
                      plan(
                          new Step.Measure(
                              "count things",
                              "SELECT count(raise_error('no such customer')) FROM range(3)",
                              Metric.EVENTS_NEW)),
                      RunListener.NONE))
          .isInstanceOf(RuntimeFailure.class)
          .hasMessage("Cannot run model 'm', step 'count things': no such customer");
    }
  }

  @Test
  void aRunFreesTheRowsItStored() {
    try (ConformRuntime runtime = open()) {
      int before = SharedSpark.session().sparkContext().getPersistentRDDs().size();
      runtime.execute(
          plan(
              new Step.Materialize("keep", "_conform_kept", "SELECT * FROM range(10)", "..."),
              new Step.Measure("count", "SELECT count(*) FROM _conform_kept", Metric.EVENTS_NEW)),
          RunListener.NONE);

      assertThat(SharedSpark.session().sparkContext().getPersistentRDDs().size()).isEqualTo(before);
    }
  }

  @Test
  void timestampsAreWallClockValuesWhateverTheTimeZoneSetting() {
    try (ConformRuntime runtime = open(Map.of("spark.sql.session.timeZone", "America/New_York"))) {
      runtime.execute(
          plan(
              sql("CREATE TABLE IF NOT EXISTS ts (t TIMESTAMP)"),
              sql("INSERT INTO ts VALUES (TIMESTAMP '2024-01-01 00:00:00')")),
          RunListener.NONE);

      assertThat(rows(runtime, "SELECT t FROM ts")).containsExactly(List.of("2024-01-01 00:00:00"));
    }
  }

  @Test
  void aRunThatDropsATableSaysItCannotBringItBack() {
    try (ConformRuntime runtime = open()) {
      runtime.execute(
          plan(sql("CREATE TABLE IF NOT EXISTS t (k BIGINT)"), sql("INSERT INTO t VALUES (1)")),
          RunListener.NONE);

      assertThatThrownBy(
              () ->
                  runtime.execute(
                      plan(sql("DROP TABLE t"), sql("SELECT no_such_column FROM range(1)")),
                      RunListener.NONE))
          .isInstanceOf(RuntimeFailure.class)
          .satisfies(
              e ->
                  assertThat(e.getSuppressed())
                      .extracting(Throwable::getMessage)
                      .containsExactly(
                          "Cannot restore table 't': the run dropped it, and its files with it"));
    }
  }
}
