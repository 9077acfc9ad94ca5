package dev.conform.runtime.spark;

import dev.conform.spi.WarehouseConnection;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The one Spark application of a test JVM (local[2], two shuffle partitions, no UI), and a session
 * on it for tests that use Spark directly.
 */
public final class SharedSpark {
  private static SparkSession session;

  private SharedSpark() {}

  public static synchronized SparkSession session() {
    if (session == null) {
      String warehouse = System.getProperty("java.io.tmpdir") + "/spark-warehouse";
      session =
          SparkSessions.forWarehouse(
              new WarehouseConnection(
                  "test",
                  "spark",
                  warehouse,
                  Map.of(
                      "spark.master", "local[2]",
                      "spark.sql.shuffle.partitions", "2",
                      "spark.default.parallelism", "2",
                      "spark.driver.host", "127.0.0.1",
                      "spark.driver.bindAddress", "127.0.0.1",
                      "spark.sql.warehouse.dir", warehouse)));
    }
    return session;
  }
}
