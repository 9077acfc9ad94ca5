package dev.conform.runtime.spark;

import static java.util.Objects.requireNonNull;

import dev.conform.spi.Column;
import dev.conform.spi.ConformRuntime;
import dev.conform.spi.Metric;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.TableMetadata;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A runtime that executes plans on Spark, with the targets as Iceberg tables in a warehouse folder.
 * Spark has no transactions across statements, so a run saves the metadata of every table before it
 * starts and, when a step fails, puts each table back as it was and drops the tables it created.
 * Relations a plan materializes are local checkpoints: rows computed once and kept by Spark, which
 * later changes to the tables they came from do not reach.
 */
final class SparkRuntime implements ConformRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(SparkRuntime.class);

  private final WarehouseConnection warehouse;
  private final SparkSession spark;
  private final Path folder;
  private final SparkSourceLoader loader;

  SparkRuntime(WarehouseConnection warehouse, SparkSession spark, Path folder) {
    this.warehouse = requireNonNull(warehouse, "warehouse is null");
    this.spark = requireNonNull(spark, "spark is null");
    this.folder = requireNonNull(folder, "folder is null");
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
    String catalog = SparkSessions.useWarehouse(spark, folder);
    boolean exists =
        spark
            .sql("SHOW TABLES IN `" + catalog + "`.`" + SparkSessions.NAMESPACE + "`")
            .collectAsList()
            .stream()
            .anyMatch(
                row ->
                    !row.getBoolean(row.fieldIndex("isTemporary"))
                        && row.getString(row.fieldIndex("tableName")).equalsIgnoreCase(table));
    if (!exists) {
      return Optional.empty();
    }
    List<Column> columns = new ArrayList<>();
    for (StructField field : spark.table("`" + table + "`").schema().fields()) {
      columns.add(Column.of(field.name(), SparkTypes.typeOf(field.dataType())));
    }
    return Optional.of(columns);
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
    IcebergTables tables;
    Map<String, TableMetadata> before;
    Set<String> viewsBefore;
    try {
      tables = new IcebergTables(spark, SparkSessions.useWarehouse(spark, folder));
      before = tables.states();
      viewsBefore = temporaryViews();
    } catch (Exception e) {
      // Spark's AnalysisException is a checked exception Scala code throws undeclared.
      throw new RuntimeFailure("Cannot start a run on " + warehouse + ": " + message(e), e);
    }
    List<Dataset<Row>> stored = new ArrayList<>();
    List<ModelResult> results;
    try {
      results = PlanSteps.run(plan, listener, (step, counts) -> run(step, counts, tables, stored));
    } catch (PlanSteps.StepFailed e) {
      RuntimeFailure failure = e.toRuntimeFailure(message(e.getCause()));
      try {
        tables.restore(before);
      } catch (RuntimeException restore) {
        failure.addSuppressed(restore);
      }
      throw failure;
    } finally {
      forget(viewsBefore, stored);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    LOG.debug("Ran {} models in {} ms", results.size(), elapsed.toMillis());
    return new RunResult(results, elapsed);
  }

  private void run(
      Step step, Map<Metric, Long> counts, IcebergTables tables, List<Dataset<Row>> stored) {
    if (step instanceof Step.LoadSource load) {
      LoadCounts loaded = loader.load(load);
      counts.merge(Metric.ROWS_READ, loaded.rowsRead(), Long::sum);
      counts.merge(Metric.ROWS_REJECTED, loaded.rowsRejected(), Long::sum);
    } else if (step instanceof Step.Statement statement) {
      if (statement.metric().isPresent()) {
        Map<String, TableMetadata> before = tables.states();
        spark.sql(statement.sql()).collect();
        counts.merge(
            statement.metric().get(), tables.addedRecords(before, tables.states()), Long::sum);
      } else {
        spark.sql(statement.sql()).collect();
      }
    } else if (step instanceof Step.Materialize materialize) {
      Dataset<Row> rows = spark.sql(materialize.query()).localCheckpoint(true);
      rows.createOrReplaceTempView(materialize.name());
      stored.add(rows);
    } else if (step instanceof Step.Measure measure) {
      counts.merge(measure.metric(), count(measure.sql()), Long::sum);
    } else if (step instanceof Step.Expect expect) {
      long count = count(expect.sql());
      if (count != 0) {
        throw new RuntimeFailure(
            expect.failureMessage().replace("{count}", Long.toString(count)), null);
      }
    } else {
      throw new IllegalStateException("Unknown step type (a bug): " + step.getClass().getName());
    }
  }

  private long count(String sql) {
    List<Row> rows = spark.sql(sql).collectAsList();
    if (rows.isEmpty()) {
      throw new IllegalStateException("the measure query returned no row");
    }
    Object value = rows.get(0).get(0);
    if (value == null) {
      return 0;
    }
    if (value instanceof Number number) {
      return number.longValue();
    }
    throw new IllegalStateException("the measure query returned '" + value + "', not a number");
  }

  private Set<String> temporaryViews() {
    Set<String> views = new HashSet<>();
    for (Row row : spark.sql("SHOW VIEWS").collectAsList()) {
      if (row.getBoolean(row.fieldIndex("isTemporary"))) {
        views.add(row.getString(row.fieldIndex("viewName")));
      }
    }
    return views;
  }

  /** Drops the temporary views the run left and frees the rows it stored. */
  private void forget(Set<String> viewsBefore, List<Dataset<Row>> stored) {
    try {
      for (String view : temporaryViews()) {
        if (!viewsBefore.contains(view)) {
          spark.catalog().dropTempView(view);
        }
      }
      stored.forEach(rows -> rows.unpersist(false));
    } catch (Exception e) {
      LOG.warn("Cannot drop the temporary views of a run: {}", message(e));
    }
  }

  /** The engine's own words: the first line of Spark's message, without its plan dump. */
  static String message(Throwable error) {
    String text = error.getMessage() == null ? error.toString() : error.getMessage();
    int newline = text.indexOf('\n');
    return (newline < 0 ? text : text.substring(0, newline)).strip();
  }

  @Override
  public QueryResult query(String sql, int limit) {
    requireNonNull(sql, "sql is null");
    try {
      SparkSessions.useWarehouse(spark, folder);
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
      throw new RuntimeFailure("Cannot run query: " + message(e), e);
    }
  }

  /** The session is the JVM's and outlives the runtime: nothing to close. */
  @Override
  public void close() {}
}
