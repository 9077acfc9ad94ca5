package dev.conform.runtime.jdbc;

import static java.util.Objects.requireNonNull;

import dev.conform.spi.CanonicalText;
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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A runtime that executes plans inside one JDBC connection to the warehouse. Every plan runs in one
 * transaction; temporary tables its steps create are dropped before it commits, so a runtime can
 * run many plans in a row. Not thread-safe: one thread at a time, as {@link ConformRuntime} says.
 * Owns its connection and closes it in {@link #close()}.
 */
public final class JdbcRuntime implements ConformRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcRuntime.class);

  private final WarehouseConnection warehouse;
  private final EngineDialect dialect;
  private final Connection connection;

  JdbcRuntime(WarehouseConnection warehouse, EngineDialect dialect, Connection connection) {
    this.warehouse = requireNonNull(warehouse, "warehouse is null");
    this.dialect = requireNonNull(dialect, "dialect is null");
    this.connection = requireNonNull(connection, "connection is null");
  }

  @Override
  public SqlDialect dialect() {
    return dialect.sqlDialect();
  }

  @Override
  public List<Column> describe(SourceData data) {
    requireNonNull(data, "data is null");
    try {
      return dialect.describe(connection, data);
    } catch (SQLException e) {
      throw new RuntimeFailure("Cannot describe source: " + SqlText.engineMessage(e), e);
    }
  }

  @Override
  public Optional<List<Column>> tableColumns(String table) {
    requireNonNull(table, "table is null");
    try {
      return dialect.tableColumns(connection, table);
    } catch (SQLException e) {
      throw new RuntimeFailure(
          "Cannot read the columns of table '" + table + "': " + SqlText.engineMessage(e), e);
    }
  }

  @Override
  public RunResult execute(Plan plan, RunListener listener) {
    requireNonNull(plan, "plan is null");
    requireNonNull(listener, "listener is null");
    if (plan.dialect() != dialect.sqlDialect()) {
      throw new RuntimeFailure(
          "Cannot run plan: it is rendered for "
              + plan.dialect()
              + ", and this runtime runs "
              + dialect.sqlDialect(),
          null);
    }
    long start = System.nanoTime();
    Set<String> temporaryBefore;
    try {
      temporaryBefore = dialect.temporaryRelations(connection).keySet();
      connection.setAutoCommit(false);
    } catch (SQLException e) {
      throw new RuntimeFailure(
          "Cannot start a run on " + warehouse + ": " + SqlText.engineMessage(e), e);
    }
    List<ModelResult> results;
    try {
      results = PlanSteps.run(plan, listener, new Engine());
      for (Map.Entry<String, Boolean> relation :
          dialect.temporaryRelations(connection).entrySet()) {
        if (!temporaryBefore.contains(relation.getKey())) {
          dialect.dropTemporary(connection, relation.getKey(), relation.getValue());
        }
      }
      connection.commit();
    } catch (PlanSteps.StepFailed e) {
      rollback(e);
      throw e.toRuntimeFailure(detail(e.getCause()));
    } catch (SQLException | RuntimeException e) {
      rollback(e);
      throw new RuntimeFailure("Cannot commit the run: " + detail(e), e);
    } catch (Error e) {
      // Restoring autocommit below would commit what the run did so far.
      rollback(e);
      throw e;
    } finally {
      restoreAutoCommit();
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    LOG.debug("Ran {} models in {} ms", results.size(), elapsed.toMillis());
    return new RunResult(results, elapsed);
  }

  private static String detail(Throwable error) {
    return error instanceof SQLException
        ? SqlText.engineMessage(error)
        : error.toString() + " (a bug in Conform or a listener)";
  }

  /** What each kind of step does on the connection. */
  private final class Engine implements PlanSteps.Engine {
    @Override
    public LoadCounts load(Step.LoadSource step) throws SQLException {
      return dialect.load(connection, step);
    }

    @Override
    public long execute(Step.Statement statement, Map<String, Long> tallied) throws SQLException {
      try (Statement jdbc = connection.createStatement()) {
        boolean returnsRows = jdbc.execute(statement.sql());
        return returnsRows || statement.metric().isEmpty() ? 0 : SqlText.updateCount(jdbc);
      }
    }

    @Override
    public void materialize(Step.Materialize step) throws SQLException {
      run(step.sql());
    }

    @Override
    public void deleteRows(Step.DeleteRows step) throws SQLException {
      run(step.sql());
    }

    private void run(String sql) throws SQLException {
      try (Statement jdbc = connection.createStatement()) {
        jdbc.execute(sql);
      }
    }

    @Override
    public List<Object> firstRow(String sql) throws SQLException {
      try (Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery(sql)) {
        List<Object> row = new ArrayList<>();
        if (rs.next()) {
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            row.add(rs.getObject(i));
          }
        }
        return row;
      }
    }
  }

  private void rollback(Throwable failure) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  private void restoreAutoCommit() {
    try {
      connection.setAutoCommit(true);
    } catch (SQLException e) {
      LOG.warn("Cannot restore autocommit on {}: {}", warehouse, SqlText.engineMessage(e));
    }
  }

  @Override
  public QueryResult query(String sql, int limit) {
    requireNonNull(sql, "sql is null");
    try (Statement statement = connection.createStatement()) {
      if (limit > 0) {
        statement.setMaxRows(limit);
      }
      try (ResultSet rs = statement.executeQuery(sql)) {
        ResultSetMetaData metadata = rs.getMetaData();
        int width = metadata.getColumnCount();
        List<Column> columns = new ArrayList<>(width);
        for (int i = 1; i <= width; i++) {
          columns.add(
              Column.of(metadata.getColumnLabel(i), dialect.typeOf(metadata.getColumnTypeName(i))));
        }
        List<List<String>> rows = new ArrayList<>();
        while ((limit < 0 || rows.size() < limit) && rs.next()) {
          List<String> row = new ArrayList<>(width);
          for (int i = 1; i <= width; i++) {
            row.add(CanonicalText.of(rs, i));
          }
          rows.add(row);
        }
        return new QueryResult(columns, rows);
      }
    } catch (SQLException e) {
      throw new RuntimeFailure("Cannot run query: " + SqlText.engineMessage(e), e);
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.warn("Cannot close {}: {}", warehouse, SqlText.engineMessage(e));
    }
  }
}
