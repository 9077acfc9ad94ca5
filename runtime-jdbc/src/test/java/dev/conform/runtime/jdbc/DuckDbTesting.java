package dev.conform.runtime.jdbc;

import dev.conform.spi.ConformRuntime;
import dev.conform.spi.ModelPlan;
import dev.conform.spi.Plan;
import dev.conform.spi.RunListener;
import dev.conform.spi.RunResult;
import dev.conform.spi.SqlDialect;
import dev.conform.spi.Step;
import dev.conform.spi.WarehouseConnection;
import java.util.List;
import java.util.Map;

/** Shared set-up for tests on an embedded DuckDB. */
final class DuckDbTesting {
  private DuckDbTesting() {}

  static ConformRuntime inMemory() {
    return new JdbcRuntimeProvider()
        .open(new WarehouseConnection("warehouse", "duckdb", "jdbc:duckdb:", Map.of()));
  }

  static Plan plan(String model, Step... steps) {
    return new Plan(SqlDialect.DUCKDB, List.of(new ModelPlan(model, List.of(steps))));
  }

  static RunResult run(ConformRuntime runtime, String model, Step... steps) {
    return runtime.execute(plan(model, steps), RunListener.NONE);
  }

  static Step.Statement sql(String sql) {
    return Step.Statement.of(sql, sql);
  }
}
