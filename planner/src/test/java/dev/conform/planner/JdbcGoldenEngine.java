package dev.conform.planner;

import static java.util.Objects.requireNonNull;

import dev.conform.spi.Column;
import dev.conform.spi.DataType;
import dev.conform.spi.ModelPlan;
import dev.conform.spi.SourceData;
import dev.conform.spi.SqlDialect;
import dev.conform.spi.Step;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs a plan's statements, measures and expectations in order over a plain JDBC connection, for
 * engines the JDBC runtime does not drive yet (H2, PostgreSQL). It stages inline rows itself, as a
 * runtime's {@link Step.LoadSource} would: a temporary table with the source columns and {@value
 * Step.LoadSource#ORIGIN_COLUMN} ({@code row N}), and an empty temporary reject table. Owns the
 * connection.
 */
final class JdbcGoldenEngine implements GoldenEngine {
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  /** A step the engine refused: its description, its SQL and the engine's message. */
  static final class StepFailure extends RuntimeException {
    StepFailure(Step step, String sql, SQLException cause) {
      super(
          "Cannot run step '"
              + step.description()
              + "': "
              + cause.getMessage().strip()
              + "\n--- SQL ---\n"
              + sql,
          cause);
    }
  }

  private final SqlDialect dialect;
  private final Connection connection;
  private final DialectRenderer renderer;

  JdbcGoldenEngine(SqlDialect dialect, Connection connection) {
    this.dialect = requireNonNull(dialect, "dialect is null");
    this.connection = requireNonNull(connection, "connection is null");
    this.renderer = new DialectRenderer(dialect);
  }

  @Override
  public SqlDialect dialect() {
    return dialect;
  }

  @Override
  public void run(ModelPlan plan) {
    try {
      connection.setAutoCommit(false);
      for (Step step : plan.steps()) {
        runStep(step);
      }
      // A runtime drops what its load steps created; the plan does not.
      for (Step step : plan.steps()) {
        if (step instanceof Step.LoadSource load) {
          execute(step, renderer.dropTemp(load.stagingTable()));
          execute(step, renderer.dropTemp(load.rejectTable()));
        }
      }
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e instanceof RuntimeException runtime
          ? runtime
          : new IllegalStateException("Cannot commit the run: " + e.getMessage(), e);
    } finally {
      try {
        connection.setAutoCommit(true);
      } catch (SQLException e) {
        throw new IllegalStateException("Cannot restore autocommit: " + e.getMessage(), e);
      }
    }
  }

  private void runStep(Step step) throws SQLException {
    if (step instanceof Step.LoadSource load) {
      stage(load);
    } else if (step instanceof Step.Statement statement) {
      execute(step, statement.sql());
    } else if (step instanceof Step.Materialize materialize) {
      execute(step, materialize.sql());
    } else if (step instanceof Step.DeleteRows delete) {
      execute(step, delete.sql());
    } else if (step instanceof Step.Measure measure) {
      count(step, measure.sql());
    } else if (step instanceof Step.Expect expect) {
      long count = count(step, expect.sql());
      if (count != 0) {
        throw new IllegalStateException(
            expect.failureMessage().replace("{count}", Long.toString(count)));
      }
    } else {
      throw new IllegalStateException("Unknown step type: " + step.getClass().getName());
    }
  }

  private void stage(Step.LoadSource load) throws SQLException {
    SourceData.InlineRows data = (SourceData.InlineRows) load.data();
    List<Column> columns = new ArrayList<>(load.columns());
    columns.add(Column.of(Step.LoadSource.ORIGIN_COLUMN, DataType.STRING));
    execute(load, createTemporary(load.stagingTable(), columns));
    execute(
        load,
        createTemporary(
            load.rejectTable(),
            List.of(
                Column.of(Step.LoadSource.ORIGIN_COLUMN, DataType.STRING),
                Column.of(Step.LoadSource.REASON_COLUMN, DataType.STRING),
                Column.of(Step.LoadSource.RECORD_COLUMN, DataType.STRING))));
    String insert =
        "INSERT INTO "
            + renderer.quote(load.stagingTable())
            + " ("
            + columns.stream().map(c -> renderer.quote(c.name())).collect(Collectors.joining(", "))
            + ") VALUES ("
            + columns.stream()
                .map(c -> "CAST(? AS " + renderer.typeName(c.type()) + ")")
                .collect(Collectors.joining(", "))
            + ")";
    try (PreparedStatement statement = connection.prepareStatement(insert)) {
      int number = 0;
      for (List<String> row : data.rows()) {
        number++;
        for (int i = 0; i < load.columns().size(); i++) {
          statement.setString(i + 1, row.get(data.columns().indexOf(load.columns().get(i).name())));
        }
        statement.setString(load.columns().size() + 1, "row " + number);
        statement.addBatch();
      }
      statement.executeBatch();
    } catch (SQLException e) {
      throw new StepFailure(load, insert, e);
    }
  }

  private String createTemporary(String table, List<Column> columns) {
    String create =
        switch (dialect) {
          case H2 -> "CREATE LOCAL TEMPORARY TABLE ";
          case POSTGRESQL, DUCKDB, MYSQL -> "CREATE TEMPORARY TABLE ";
          case SPARK -> throw new IllegalArgumentException("Spark has no JDBC staging here");
        };
    return create
        + renderer.quote(table)
        + " ("
        + columns.stream()
            .map(c -> renderer.quote(c.name()) + " " + renderer.typeName(c.type()))
            .collect(Collectors.joining(", "))
        + ")";
  }

  private void execute(Step step, String sql) {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new StepFailure(step, sql, e);
    }
  }

  private long count(Step step, String sql) {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      if (!rs.next()) {
        throw new IllegalStateException("Step '" + step.description() + "' returned no row");
      }
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new StepFailure(step, sql, e);
    }
  }

  @Override
  public Rows query(String sql) {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      ResultSetMetaData metadata = rs.getMetaData();
      List<String> columns = new ArrayList<>();
      for (int i = 1; i <= metadata.getColumnCount(); i++) {
        columns.add(metadata.getColumnLabel(i));
      }
      List<List<String>> rows = new ArrayList<>();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= columns.size(); i++) {
          row.add(text(rs.getObject(i)));
        }
        rows.add(row);
      }
      return new Rows(columns, rows);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot run query " + sql + ": " + e.getMessage(), e);
    }
  }

  /** The canonical text of a value, as the JDBC runtime gives it for DuckDB. */
  private static String text(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    if (value instanceof java.sql.Timestamp timestamp) {
      return timestamp(timestamp.toLocalDateTime());
    }
    if (value instanceof LocalDateTime timestamp) {
      return timestamp(timestamp);
    }
    if (value instanceof java.sql.Date date) {
      return date.toLocalDate().toString();
    }
    if (value instanceof LocalDate date) {
      return date.toString();
    }
    return value.toString();
  }

  private static String timestamp(LocalDateTime value) {
    if (value.getNano() != 0) {
      throw new IllegalArgumentException(
          "Fractional seconds are not used in golden data: " + value);
    }
    return value.format(SECONDS);
  }

  @Override
  public boolean tableExists(String name) {
    try {
      // getTables takes a LIKE pattern, in which the names' '_' matches any character.
      String escape = connection.getMetaData().getSearchStringEscape();
      String pattern = name.replace(escape, escape + escape).replace("_", escape + "_");
      try (ResultSet tables =
          connection.getMetaData().getTables(null, connection.getSchema(), pattern, null)) {
        return tables.next();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot list the tables of " + dialect + ": " + e, e);
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot close the connection: " + e.getMessage(), e);
    }
  }
}
