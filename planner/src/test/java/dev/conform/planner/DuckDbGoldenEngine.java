package dev.conform.planner;

import dev.conform.runtime.jdbc.JdbcRuntimeProvider;
import dev.conform.spi.Column;
import dev.conform.spi.ConformRuntime;
import dev.conform.spi.ModelPlan;
import dev.conform.spi.Plan;
import dev.conform.spi.QueryResult;
import dev.conform.spi.RunListener;
import dev.conform.spi.SqlDialect;
import dev.conform.spi.WarehouseConnection;
import java.util.List;
import java.util.Map;

/** Embedded in-memory DuckDB, driven through the JDBC runtime exactly as {@code conform run}. */
final class DuckDbGoldenEngine implements GoldenEngine {
  private final ConformRuntime runtime =
      new JdbcRuntimeProvider()
          .open(new WarehouseConnection("warehouse", "duckdb", "jdbc:duckdb:", Map.of()));

  @Override
  public SqlDialect dialect() {
    return SqlDialect.DUCKDB;
  }

  @Override
  public void run(ModelPlan plan) {
    runtime.execute(new Plan(SqlDialect.DUCKDB, List.of(plan)), RunListener.NONE);
  }

  @Override
  public Rows query(String sql) {
    QueryResult result = runtime.query(sql, -1);
    return new Rows(result.columns().stream().map(Column::name).toList(), result.rows());
  }

  @Override
  public boolean tableExists(String name) {
    return runtime.tableColumns(name).isPresent();
  }

  @Override
  public void close() {
    runtime.close();
  }
}
