package dev.conform.spi;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One unit of work in a model's plan. SQL in a step is already rendered for the runtime's dialect.
 */
public sealed interface Step {

  /** A short text shown in progress output and error messages. */
  String description();

  /**
   * Load a source into a temporary staging table named {@code stagingTable}, with exactly {@code
   * columns} (converted to their types) plus {@value #ORIGIN_COLUMN} (a text saying where the row
   * came from: file name, or {@code row N} for inline rows). A row with a value that does not
   * convert to its column's type goes instead to the temporary table {@code rejectTable} with the
   * columns {@value #ORIGIN_COLUMN}, {@value #REASON_COLUMN} and {@value #RECORD_COLUMN} (the raw
   * row as text). Reports {@link Metric#ROWS_READ} and {@link Metric#ROWS_REJECTED}, and counts the
   * rejected rows as the tally {@value #REJECTED_TALLY}, on which the statement that keeps them may
   * depend.
   *
   * <p>Either may be a temporary view when reading the source again costs less than storing it (a
   * Parquet file whose columns need no conversion that can fail). The runtime drops both at the end
   * of the plan; the plan itself never drops them.
   *
   * <p>When {@code stagedTally} is present, a later statement of the model counts the staging
   * relation's rows with that tally (measuring {@link Metric#ROWS_READ}), and the runtime need not
   * count the rows it reads: the rows read are the rows that did not convert plus that tally's,
   * whatever the runtime reports as read.
   */
  record LoadSource(
      String description,
      String source,
      SourceData data,
      List<Column> columns,
      String stagingTable,
      String rejectTable,
      Optional<String> stagedTally)
      implements Step {
    public static final String ORIGIN_COLUMN = "_conform_origin";
    public static final String REASON_COLUMN = "_conform_reason";
    public static final String RECORD_COLUMN = "_conform_record";

    /** The tally of the rows the load rejected (see {@link Statement#onlyIf}). */
    public static final String REJECTED_TALLY = "rows_not_converted";

    public LoadSource {
      requireNonNull(description, "description is null");
      requireNonNull(source, "source is null");
      requireNonNull(data, "data is null");
      columns = List.copyOf(columns);
      requireNonNull(stagingTable, "stagingTable is null");
      requireNonNull(rejectTable, "rejectTable is null");
      requireNonNull(stagedTally, "stagedTally is null");
    }

    /** A load whose runtime counts the rows it reads. */
    public LoadSource(
        String description,
        String source,
        SourceData data,
        List<Column> columns,
        String stagingTable,
        String rejectTable) {
      this(description, source, data, columns, stagingTable, rejectTable, Optional.empty());
    }

    /** What the load does, in one line for a printed plan. */
    public String summary() {
      StringBuilder text = new StringBuilder("load ").append(source).append(" from ");
      if (data instanceof SourceData.Files files) {
        text.append(files.format()).append(' ').append(files.paths());
        if (!files.options().isEmpty()) {
          text.append(" with options ").append(files.options());
        }
      } else {
        text.append(((SourceData.InlineRows) data).rows().size()).append(" inline rows");
      }
      text.append(" as (");
      for (int i = 0; i < columns.size(); i++) {
        text.append(i == 0 ? "" : ", ").append(columns.get(i).name());
        text.append(' ').append(columns.get(i).type());
      }
      text.append(") into ").append(stagingTable);
      stagedTally.ifPresent(t -> text.append(" (its rows counted as tally ").append(t).append(')'));
      return text.append(", rows that do not convert into ")
          .append(rejectTable)
          .append(" (counted as tally ")
          .append(REJECTED_TALLY)
          .append(')')
          .toString();
    }
  }

  /**
   * Run one SQL statement. A counting statement changes {@code table}, and the number of rows it
   * inserted, updated or deleted there is added to {@code metric}.
   *
   * <p>Each of {@code tallies} counts rows of a relation the statement reads, exactly once; a
   * runtime may count them as the statement reads the relation, or run their queries before the
   * statement. Where one tallied relation reads another, the tallies of the one read come first (a
   * runtime that counts while running puts each relation under observation in that order). A
   * statement with {@code onlyIf} runs only when that tally, counted by an earlier step of the same
   * model, is not zero: it would change nothing.
   */
  record Statement(
      String description,
      String sql,
      Optional<Metric> metric,
      Optional<String> table,
      List<Tally> tallies,
      Optional<String> onlyIf)
      implements Step {
    public Statement {
      requireNonNull(description, "description is null");
      requireNonNull(sql, "sql is null");
      requireNonNull(metric, "metric is null");
      requireNonNull(table, "table is null");
      tallies = List.copyOf(tallies);
      requireNonNull(onlyIf, "onlyIf is null");
      if (metric.isPresent() != table.isPresent()) {
        throw new IllegalArgumentException("A counting statement names its metric and its table");
      }
    }

    public static Statement of(String description, String sql) {
      return new Statement(
          description, sql, Optional.empty(), Optional.empty(), List.of(), Optional.empty());
    }

    public static Statement counting(String description, String sql, Metric metric, String table) {
      return new Statement(
          description, sql, Optional.of(metric), Optional.of(table), List.of(), Optional.empty());
    }

    /**
     * What a plan's reader needs to know beyond the SQL, as SQL comment lines: when the statement
     * runs only on a condition, and each tally with the query that counts it (on one line).
     */
    public List<String> comments() {
      List<String> comments = new ArrayList<>();
      onlyIf.ifPresent(t -> comments.add("-- runs only when tally " + t + " is not 0"));
      for (Tally tally : tallies) {
        comments.add(
            "-- tally "
                + tally.name()
                + tally.metric().map(m -> " (measures " + m + ")").orElse("")
                + ": "
                + tally.sql().strip().replaceAll("\\s*\\R\\s*", " "));
      }
      return comments;
    }

    /** This statement, counting {@code tallies} as well. */
    public Statement withTallies(List<Tally> tallies) {
      return new Statement(description, sql, metric, table, tallies, onlyIf);
    }

    /** This statement, run only when the tally named {@code tally} is not zero. */
    public Statement withOnlyIf(String tally) {
      return new Statement(description, sql, metric, table, tallies, Optional.of(tally));
    }
  }

  /**
   * A count of the rows of the temporary relation {@code relation} whose boolean columns have the
   * values {@code flags} gives ({@code IS TRUE} or {@code IS FALSE}: NULL matches neither). {@code
   * sql} is a query that counts them in the plan's dialect. A tally with a {@code metric} adds its
   * count there.
   */
  record Tally(
      String name,
      Optional<Metric> metric,
      String relation,
      Map<String, Boolean> flags,
      String sql) {
    public Tally {
      requireNonNull(name, "name is null");
      requireNonNull(metric, "metric is null");
      requireNonNull(relation, "relation is null");
      flags = Collections.unmodifiableMap(new LinkedHashMap<>(flags));
      requireNonNull(sql, "sql is null");
    }
  }

  /**
   * Store the rows of {@code query} as the temporary relation {@code name}, which later steps read
   * until the end of the plan. The rows are fixed when the step runs: later changes to the tables
   * the query reads do not change them. {@code sql} is the statement that does it in the plan's
   * dialect, for runtimes that run SQL; a runtime may store the rows its own way instead. The plan
   * drops the relation itself.
   */
  record Materialize(String description, String name, String query, String sql) implements Step {
    public Materialize {
      requireNonNull(description, "description is null");
      requireNonNull(name, "name is null");
      requireNonNull(query, "query is null");
      requireNonNull(sql, "sql is null");
    }
  }

  /**
   * Delete from {@code table} the rows the query {@code rowIds} names by their row ids: the columns
   * the engine identifies a table's rows with, read from {@code table} earlier in the plan, with no
   * change to the table since. {@code sql} is the statement that does it in the plan's dialect; a
   * runtime may delete the rows its own way instead (on Spark, the row id is the data file and the
   * position in it, and the rows are deleted by writing those positions).
   */
  record DeleteRows(String description, String table, String rowIds, String sql) implements Step {
    public DeleteRows {
      requireNonNull(description, "description is null");
      requireNonNull(table, "table is null");
      requireNonNull(rowIds, "rowIds is null");
      requireNonNull(sql, "sql is null");
    }
  }

  /**
   * Run a query that returns one row with one number per metric of {@code metrics}, in their order,
   * and add each number to its metric. Counts that read the same relations come from one query, so
   * the engine reads them once.
   */
  record Measure(String description, String sql, List<Metric> metrics) implements Step {
    public Measure {
      requireNonNull(description, "description is null");
      requireNonNull(sql, "sql is null");
      metrics = List.copyOf(metrics);
      if (metrics.isEmpty()) {
        throw new IllegalArgumentException("a measure needs a metric");
      }
    }

    /** A query that returns one number, added to {@code metric}. */
    public Measure(String description, String sql, Metric metric) {
      this(description, sql, List.of(metric));
    }
  }

  /**
   * Run a query that returns one row with one number; when it is not zero the run fails with {@code
   * failureMessage}, in which {@code {count}} is replaced by the number.
   */
  record Expect(String description, String sql, String failureMessage) implements Step {
    public Expect {
      requireNonNull(description, "description is null");
      requireNonNull(sql, "sql is null");
      requireNonNull(failureMessage, "failureMessage is null");
    }
  }
}
