package dev.conform.planner;

import dev.conform.spi.ModelPlan;
import dev.conform.spi.SqlDialect;
import java.util.List;

/** A real engine that runs a model's plan as one run and reads tables back as canonical text. */
interface GoldenEngine extends AutoCloseable {

  /** Rows read back: column names and rows of canonical text, {@code null} for SQL NULL. */
  record Rows(List<String> columns, List<List<String>> rows) {
    public Rows {
      columns = List.copyOf(columns);
      rows = List.copyOf(rows);
    }
  }

  SqlDialect dialect();

  /** Runs every step in one transaction; a failure leaves the tables as they were. */
  void run(ModelPlan plan);

  Rows query(String sql);

  /** Whether the warehouse has table {@code name} (as the plans spell it). */
  boolean tableExists(String name);

  @Override
  void close();
}
