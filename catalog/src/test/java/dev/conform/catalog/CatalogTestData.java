package dev.conform.catalog;

import dev.conform.spi.Metric;
import dev.conform.spi.ModelResult;
import dev.conform.spi.RunResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Run results used by the catalog tests. */
final class CatalogTestData {
  private CatalogTestData() {}

  static RunResult twoModelResult() {
    return new RunResult(
        List.of(
            new ModelResult(
                "dim_customer",
                Map.of(Metric.ROWS_READ, 120L, Metric.ROWS_INSERTED, 20L, Metric.ROWS_CLOSED, 5L),
                Duration.ofMillis(1500)),
            new ModelResult(
                "fct_usage",
                Map.of(Metric.ROWS_READ, 9000L, Metric.ROWS_REJECTED, 3L),
                Duration.ofMillis(2500))),
        Duration.ofMillis(4200));
  }

  static List<String> twoModels() {
    return List.of("dim_customer", "fct_usage");
  }
}
