package dev.conform.planner;

import dev.conform.runtime.spark.SharedSpark;
import dev.conform.runtime.spark.SparkRuntimeProvider;
import dev.conform.spi.ConformRuntime;
import dev.conform.spi.WarehouseConnection;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SCD property tests of {@link ScdPropertyTest} on Spark, with Iceberg targets: random streams
 * in random batches applied in random order give the reference replay's table. Fewer seeds than on
 * DuckDB: every batch is some thirty Spark jobs.
 */
class SparkScdPropertyTest {
  private static final int SEEDS = Integer.getInteger("conform.property.spark.seeds", 2);

  @TempDir Path folder;

  @BeforeAll
  static void startSpark() {
    SharedSpark.session();
  }

  static Stream<ScdPropertyTest.Config> configurations() {
    return ScdPropertyTest.configurations().map(a -> (ScdPropertyTest.Config) a.get()[0]);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configurations")
  void batchesInAnyOrderEqualTheReferenceReplay(ScdPropertyTest.Config config) {
    for (int seed = 0; seed < SEEDS; seed++) {
      Path warehouse = folder.resolve("seed-" + seed);
      ScdPropertyTest.checkBatchesInAnyOrder(config, seed, () -> open(warehouse));
    }
  }

  /**
   * A first run's plan, which on Spark stores nothing and counts while it writes, gives the same
   * target, journal and counts as the incremental plan on empty tables.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("configurations")
  void theInitialLoadPlanEqualsTheIncrementalPlanOnEmptyTables(ScdPropertyTest.Config config) {
    for (int seed = 0; seed < Math.max(1, SEEDS / 2); seed++) {
      AtomicInteger warehouses = new AtomicInteger();
      Path seedFolder = folder.resolve("first-" + seed);
      ScdPropertyTest.checkInitialEqualsIncremental(
          config, seed, () -> open(seedFolder.resolve("w" + warehouses.incrementAndGet())));
    }
  }

  /**
   * No events on a first run: Spark drops the operators that would have counted the events while
   * writing, and the counts must come out zero all the same.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("configurations")
  void anEmptyFirstBatchLoadsAsTheIncrementalPlanDoes(ScdPropertyTest.Config config) {
    AtomicInteger warehouses = new AtomicInteger();
    ScdPropertyTest.checkInitialEqualsIncremental(
        config,
        "no events",
        List.of(),
        () -> open(folder.resolve("empty-" + warehouses.incrementAndGet())));
  }

  private static ConformRuntime open(Path warehouse) {
    return new SparkRuntimeProvider()
        .open(new WarehouseConnection("lake", "spark", warehouse.toString(), Map.of()));
  }
}
