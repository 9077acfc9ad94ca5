package dev.conform.runtime.spark;

import static java.util.Objects.requireNonNull;

import dev.conform.spi.Column;
import dev.conform.spi.ConformRuntime;
import dev.conform.spi.LoadCounts;
import dev.conform.spi.ModelResult;
import dev.conform.spi.Plan;
import dev.conform.spi.PlanSteps;
import dev.conform.spi.QueryResult;
import dev.conform.spi.RunListener;
import dev.conform.spi.RunResult;
import dev.conform.spi.RuntimeFailure;
import dev.conform.spi.SourceData;
import dev.conform.spi.SqlDialect;
import dev.conform.spi.Step;
import dev.conform.spi.WarehouseConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.TableMetadata;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.plans.physical.UnknownPartitioning;
import org.apache.spark.sql.execution.LogicalRDD;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.RDDInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A runtime that executes plans on Spark, with the targets as Iceberg tables in a warehouse. It
 * works in a Spark session of its own (see {@link SparkSessions}). Spark has no transactions across
 * statements, so a run saves the metadata of every table before it starts and, when a step fails,
 * puts each table back as it was and drops the tables it created. Relations a plan materializes are
 * local checkpoints: rows computed once and kept by Spark, which later changes to the tables they
 * came from do not reach.
 */
final class SparkRuntime implements ConformRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(SparkRuntime.class);

  /** At most how many bytes Spark's stored objects take per byte of a row of a few numbers. */
  private static final long OBJECT_BYTES_PER_ROW_BYTE = 4;

  private final WarehouseConnection warehouse;
  private final SparkSession spark;
  private final IcebergTables tables;
  private final SparkSourceLoader loader;

  SparkRuntime(WarehouseConnection warehouse, SparkSession spark) {
    this.warehouse = requireNonNull(warehouse, "warehouse is null");
    this.spark = requireNonNull(spark, "spark is null");
    this.tables = new IcebergTables(spark);
    this.loader = new SparkSourceLoader(spark);
  }

  @Override
  public SqlDialect dialect() {
    return SqlDialect.SPARK;
  }

  @Override
  public List<Column> describe(SourceData data) {
    requireNonNull(data, "data is null");
    return loader.describe(data);
  }

  @Override
  public Optional<List<Column>> tableColumns(String table) {
    requireNonNull(table, "table is null");
    try {
      Optional<String> name =
          tables.names().stream().filter(t -> t.equalsIgnoreCase(table)).findFirst();
      if (name.isEmpty()) {
        return Optional.empty();
      }
      List<Column> columns = new ArrayList<>();
      for (StructField field : spark.table(SparkSessions.quote(name.get())).schema().fields()) {
        columns.add(Column.of(field.name(), SparkTypes.typeOf(field.dataType())));
      }
      return Optional.of(columns);
    } catch (Exception e) {
      throw new RuntimeFailure(
          "Cannot read the columns of table '" + table + "': " + SparkSessions.message(e), e);
    }
  }

  @Override
  public RunResult execute(Plan plan, RunListener listener) {
    requireNonNull(plan, "plan is null");
    requireNonNull(listener, "listener is null");
    if (plan.dialect() != SqlDialect.SPARK) {
      throw new RuntimeFailure(
          "Cannot run plan: it is rendered for " + plan.dialect() + ", and this runtime runs SPARK",
          null);
    }
    long start = System.nanoTime();
    Map<String, TableMetadata> before;
    List<String> viewsBefore;
    try {
      before = tables.states();
      viewsBefore = temporaryViews();
    } catch (Exception e) {
      // Spark's AnalysisException is a checked exception Scala code throws undeclared.
      throw new RuntimeFailure(
          "Cannot start a run on " + warehouse + ": " + SparkSessions.message(e), e);
    }
    Engine engine = new Engine();
    List<ModelResult> results;
    try {
      results = PlanSteps.run(plan, listener, engine);
    } catch (PlanSteps.StepFailed e) {
      throw restored(before, e.toRuntimeFailure(SparkSessions.message(e.getCause())));
    } catch (Error e) {
      // The JVM's failure (out of memory, a stack overflow in the analyzer): the tables go back
      // all the same.
      throw restored(before, e);
    } finally {
      engine.forget(viewsBefore);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    LOG.debug("Ran {} models in {} ms", results.size(), elapsed.toMillis());
    return new RunResult(results, elapsed);
  }

  /** Puts the tables back as they were before the run, and returns {@code failure}. */
  private <T extends Throwable> T restored(Map<String, TableMetadata> before, T failure) {
    try {
      tables.restore(before);
    } catch (RuntimeException restore) {
      failure.addSuppressed(restore);
    }
    return failure;
  }

  /** What each kind of step does on Spark, and the rows it stored. */
  private final class Engine implements PlanSteps.Engine {
    private final List<Dataset<Row>> stored = new ArrayList<>();

    @Override
    public LoadCounts load(Step.LoadSource step) {
      return loader.load(step, stored::add);
    }

    @Override
    public long execute(Step.Statement statement, Map<String, Long> tallied) {
      Tallies tallies = Tallies.observe(spark, statement.tallies());
      try {
        // Spark reports no update counts; Iceberg's snapshots say what each commit changed. A
        // counting statement names its table.
        Optional<String> table = statement.table();
        Optional<TableMetadata> before = table.map(tables::state);
        spark.sql(statement.sql()).collect();
        tallied.putAll(tallies.counts());
        return before
            .map(b -> IcebergTables.changedRecords(b, tables.state(table.get())))
            .orElse(0L);
      } finally {
        tallies.forget();
      }
    }

    @Override
    public void materialize(Step.Materialize step) {
      Dataset<Row> rows = spark.sql(step.query()).localCheckpoint(true);
      stored.add(rows);
      asStored(spark, rows).createOrReplaceTempView(SparkSessions.quote(step.name()));
    }

    /** Writes the positions of the rows as Iceberg delete files (see {@link PositionDeletes}). */
    @Override
    public void deleteRows(Step.DeleteRows step) {
      PositionDeletes.delete(step.table(), tables.table(step.table()), spark.sql(step.rowIds()));
    }

    @Override
    public List<Object> firstRow(String sql) {
      List<Row> rows = spark.sql(sql).takeAsList(1);
      if (rows.isEmpty()) {
        return List.of();
      }
      Row row = rows.get(0);
      List<Object> values = new ArrayList<>(row.size());
      for (int i = 0; i < row.size(); i++) {
        values.add(row.get(i));
      }
      return values;
    }

    /** Drops the temporary views the run left and frees the rows it stored. */
    void forget(List<String> viewsBefore) {
      try {
        for (String view : temporaryViews()) {
          if (!viewsBefore.contains(view)) {
            spark.catalog().dropTempView(view);
          }
        }
        for (Dataset<Row> rows : stored) {
          // The checkpoint's own RDD holds the rows; the Dataset itself was never cached. Waits
          // for the blocks to go: a removal still running when Spark stops prints stack traces.
          if (rows.queryExecution().logical() instanceof LogicalRDD checkpoint) {
            checkpoint.rdd().unpersist(true);
          }
        }
      } catch (Exception e) {
        LOG.warn("Cannot drop the temporary views of a run: {}", SparkSessions.message(e));
      }
    }
  }

  /**
   * {@code rows}, stored by a local checkpoint, as later statements read them: in fewer partitions
   * when they came in many small ones, and marked for broadcast when they are small.
   *
   * <p>A stored relation keeps its query's partitions: the keys a batch touches, read from a table
   * of a hundred files, came in a hundred partitions of a few thousand rows, and every later
   * statement ran a task for each (on two cores, 2-4 s a statement for 2M rows). Rows in no known
   * order are read in as many partitions as their bytes need (Spark's partition size for reading
   * files), and no fewer than the application's parallelism; rows partitioned by columns are left
   * so, as joins and windows on those columns need not move them.
   *
   * <p>Rows that come to less than the session's broadcast threshold are marked for broadcast.
   * Spark judges a stored relation by the estimate of the query that made it, which for joins
   * multiplies the sides' sizes: the keys a batch touches would be joined to the whole table by
   * shuffling the table rather than by sending the keys to every task. Spark holds stored rows as
   * Java objects, which take about three times the bytes of rows of a few numbers (92 bytes for
   * three 8-byte values). Rows of fixed-width columns that the objects put over the threshold are
   * therefore counted, and judged by their own bytes.
   */
  static Dataset<Row> asStored(SparkSession spark, Dataset<Row> rows) {
    if (!(rows.queryExecution().logical() instanceof LogicalRDD checkpoint)) {
      return rows;
    }
    long held = storedBytes(checkpoint);
    if (held < 0) {
      return rows;
    }
    Dataset<Row> read = rows;
    if (checkpoint.outputPartitioning() instanceof UnknownPartitioning) {
      long partitionBytes = spark.sessionState().conf().filesMaxPartitionBytes();
      long needed =
          Math.max(
              spark.sparkContext().defaultParallelism(),
              (held + partitionBytes - 1) / partitionBytes);
      if (needed < checkpoint.rdd().getNumPartitions()) {
        read = rows.coalesce((int) needed);
      }
    }
    return small(spark, rows, held) ? read.hint("broadcast") : read;
  }

  /**
   * Whether stored {@code rows} of which Spark holds {@code held} bytes are under the threshold.
   */
  private static boolean small(SparkSession spark, Dataset<Row> rows, long held) {
    long threshold = spark.sessionState().conf().autoBroadcastJoinThreshold();
    if (threshold <= 0) {
      return false;
    }
    if (held <= threshold) {
      return true;
    }
    if (held > OBJECT_BYTES_PER_ROW_BYTE * threshold || !fixedWidth(rows.schema())) {
      return false;
    }
    int fields = rows.schema().size();
    long rowBytes = UnsafeRow.calculateBitSetWidthInBytes(fields) + 8L * fields;
    return rows.count() * rowBytes <= threshold;
  }

  /** The bytes Spark holds of the checkpoint's rows, in memory and on disk; -1 if it holds none. */
  private static long storedBytes(LogicalRDD checkpoint) {
    int id = checkpoint.rdd().id();
    for (RDDInfo info : checkpoint.rdd().sparkContext().getRDDStorageInfo()) {
      if (info.id() == id) {
        return info.memSize() + info.diskSize();
      }
    }
    return -1;
  }

  /** Whether every column of {@code schema} has a fixed width in Spark's rows. */
  private static boolean fixedWidth(StructType schema) {
    for (StructField field : schema.fields()) {
      if (!UnsafeRow.isFixedLength(field.dataType())) {
        return false;
      }
    }
    return true;
  }

  private List<String> temporaryViews() {
    return spark.sql("SHOW VIEWS").collectAsList().stream()
        .filter(row -> row.getBoolean(row.fieldIndex("isTemporary")))
        .map(row -> row.getString(row.fieldIndex("viewName")))
        .toList();
  }

  @Override
  public QueryResult query(String sql, int limit) {
    requireNonNull(sql, "sql is null");
    try {
      Dataset<Row> result = spark.sql(sql);
      List<Row> rows = limit >= 0 ? result.takeAsList(limit) : result.collectAsList();
      List<Column> columns = new ArrayList<>();
      for (StructField field : result.schema().fields()) {
        columns.add(Column.of(field.name(), SparkTypes.typeOf(field.dataType())));
      }
      List<List<String>> texts = new ArrayList<>(rows.size());
      for (Row row : rows) {
        List<String> text = new ArrayList<>(row.size());
        for (int i = 0; i < row.size(); i++) {
          text.add(SparkTypes.text(row.get(i)));
        }
        texts.add(text);
      }
      return new QueryResult(columns, texts);
    } catch (Exception e) {
      throw new RuntimeFailure("Cannot run query: " + SparkSessions.message(e), e);
    }
  }

  /** The session's temporary views go with it; the Spark application outlives the runtime. */
  @Override
  public void close() {}
}
