package dev.conform.examples;

import org.apache.spark.sql.SparkSession;

/**
 * Starts the test JVM's one Spark session, small and local, before a test runs Conform on Spark;
 * Conform's Spark runtime uses the session it finds.
 */
final class TestSpark {
  private TestSpark() {}

  static synchronized void start() {
    if (SparkSession.getDefaultSession().isDefined()) {
      return;
    }
    SparkSession.builder()
        .master("local[2]")
        .appName("conform-examples-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.session.timeZone", "UTC")
        .config(
            "spark.sql.extensions",
            "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
        .config(
            "spark.sql.warehouse.dir", System.getProperty("java.io.tmpdir") + "/spark-warehouse")
        .getOrCreate();
  }
}
