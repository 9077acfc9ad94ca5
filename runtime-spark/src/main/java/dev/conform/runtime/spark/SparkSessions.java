package dev.conform.runtime.spark;

import dev.conform.spi.RuntimeFailure;
import dev.conform.spi.WarehouseConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session Conform runs in, and the Iceberg catalog of each warehouse in it.
 *
 * <p>A JVM has one session: the one already active (under {@code spark-submit}, or a test's), else
 * one built from the warehouse connection's {@code spark.*} properties, on {@code local[*]} unless
 * {@code spark.master} says otherwise. Each warehouse folder is an Iceberg catalog of its own,
 * named after the folder's path, so that one session can serve several warehouses (tests do).
 */
final class SparkSessions {
  /** The namespace of every warehouse's tables. */
  static final String NAMESPACE = "conform";

  private static final String EXTENSIONS =
      "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions";

  private SparkSessions() {}

  /** The JVM's session, created on first use with the connection's settings. */
  static synchronized SparkSession session(WarehouseConnection connection) {
    SparkSession active = SparkSession.getActiveSession().getOrElse(() -> null);
    if (active == null) {
      active = SparkSession.getDefaultSession().getOrElse(() -> null);
    }
    if (active != null) {
      return active;
    }
    SparkSession.Builder builder =
        SparkSession.builder()
            .appName("conform")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.extensions", EXTENSIONS)
            .config("spark.sql.session.timeZone", "UTC");
    String master = connection.properties().getOrDefault("spark.master", "local[*]");
    builder.master(master);
    for (Map.Entry<String, String> setting : connection.properties().entrySet()) {
      if (setting.getKey().startsWith("spark.")) {
        builder.config(setting.getKey(), setting.getValue());
      }
    }
    try {
      return builder.getOrCreate();
    } catch (RuntimeException | LinkageError e) {
      throw new RuntimeFailure(
          "Cannot start Spark (master "
              + master
              + ") for "
              + connection
              + ": "
              + e
              + "; on Java 17 the JVM needs Spark's --add-opens options (bin/conform passes them)",
          e);
    }
  }

  /**
   * Registers the Iceberg catalog of the warehouse folder {@code warehouse} (once per session),
   * makes its {@value #NAMESPACE} namespace current, and returns the catalog's name.
   */
  static String useWarehouse(SparkSession spark, Path warehouse) {
    String catalog = catalogName(warehouse);
    String prefix = "spark.sql.catalog." + catalog;
    if (!spark.conf().contains(prefix)) {
      spark.conf().set(prefix, "org.apache.iceberg.spark.SparkCatalog");
      spark.conf().set(prefix + ".type", "hadoop");
      spark.conf().set(prefix + ".warehouse", warehouse.toUri().toString());
      // Every statement sees the tables as they are now, also after a failed run restored them.
      spark.conf().set(prefix + ".cache-enabled", "false");
      // A batch deletes few rows of many files: write delete files instead of rewriting them.
      spark.conf().set(prefix + ".table-default.format-version", "2");
      spark.conf().set(prefix + ".table-default.write.delete.mode", "merge-on-read");
      spark.conf().set(prefix + ".table-default.write.update.mode", "merge-on-read");
      spark.conf().set(prefix + ".table-default.write.merge.mode", "merge-on-read");
      spark.sql("CREATE NAMESPACE IF NOT EXISTS `" + catalog + "`.`" + NAMESPACE + "`");
    }
    spark.sql("USE `" + catalog + "`.`" + NAMESPACE + "`");
    return catalog;
  }

  /** {@code conform_} and a hash of the folder's path: a valid, stable catalog name. */
  static String catalogName(Path warehouse) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(
                  warehouse
                      .toAbsolutePath()
                      .normalize()
                      .toString()
                      .getBytes(StandardCharsets.UTF_8));
      return "conform_" + HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Bug: the JVM has no SHA-256", e);
    }
  }
}
