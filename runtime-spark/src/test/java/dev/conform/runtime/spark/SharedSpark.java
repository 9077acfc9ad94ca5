package dev.conform.runtime.spark;

import dev.conform.spi.WarehouseConnection;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** The one Spark session of a test JVM: local[2], two shuffle partitions, no UI. */
public final class SharedSpark {
  private SharedSpark() {}

  public static synchronized SparkSession session() {
    return SparkSessions.session(
        new WarehouseConnection(
            "test",
            "spark",
            "unused",
            Map.of(
                "spark.master", "local[2]",
                "spark.sql.shuffle.partitions", "2",
                "spark.default.parallelism", "2",
                "spark.driver.host", "127.0.0.1",
                "spark.driver.bindAddress", "127.0.0.1",
                "spark.sql.warehouse.dir",
                    System.getProperty("java.io.tmpdir") + "/spark-warehouse")));
  }
}
