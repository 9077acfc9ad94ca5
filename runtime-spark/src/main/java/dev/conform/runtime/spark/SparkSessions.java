package dev.conform.runtime.spark;

import dev.conform.spi.RuntimeFailure;
import dev.conform.spi.WarehouseConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Spark sessions Conform runs in, and the Iceberg catalog of each warehouse in them.
 *
 * <p>A JVM has one Spark application: the session already there (under {@code spark-submit}, or a
 * test's), else one built from the first warehouse connection's {@code spark.*} properties, on
 * {@code local[*]} unless {@code spark.master} (of the connection, or of {@code spark-submit}) says
 * otherwise. Each runtime works in a session of its own on that application, so its settings,
 * temporary views and current catalog are its own, and its time zone is always UTC: timestamps are
 * wall-clock values on every engine. Each session knows Conform's functions ({@link Hash64}).
 */
final class SparkSessions {
  /** The namespace of every warehouse's tables. */
  static final String NAMESPACE = "conform";

  private static final Logger LOG = LoggerFactory.getLogger(SparkSessions.class);
  private static final Pattern READING_FILE =
      Pattern.compile("Encountered error while reading file (\\S+?)\\.? ");
  private static final String BYPASS_MERGE_THRESHOLD = "spark.shuffle.sort.bypassMergeThreshold";
  private static final String EXTENSIONS =
      "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions";

  private SparkSessions() {}

  /**
   * A new session for a runtime on the connection's warehouse (its url: a folder or a URI such as
   * {@code hdfs://...}), with the connection's settings and the warehouse's catalog current.
   */
  static SparkSession forWarehouse(WarehouseConnection connection) {
    String warehouse = connection.url();
    SparkSession session = application(connection).newSession();
    RuntimeConfig conf = session.conf();
    for (Map.Entry<String, String> setting : connection.properties().entrySet()) {
      String key = setting.getKey();
      if (!key.startsWith("spark.")) {
        continue;
      }
      if (conf.isModifiable(key)) {
        conf.set(key, setting.getValue());
      } else if (!setting.getValue().equals(conf.getOption(key).getOrElse(() -> null))) {
        LOG.warn(
            "{}: setting {}={} is ignored: Spark is already running, with {}",
            connection,
            key,
            setting.getValue(),
            conf.getOption(key).getOrElse(() -> "its default"));
      }
    }
    conf.set("spark.sql.session.timeZone", "UTC");
    Hash64.register(session);
    useWarehouse(session, warehouse);
    return session;
  }

  /** The JVM's Spark application, started on first use with the connection's settings. */
  private static synchronized SparkSession application(WarehouseConnection connection) {
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
            // A replay's plans are wide: without this, Spark warns on the console that it
            // shortened their text.
            .config("spark.sql.debug.maxToStringFields", "1000")
            .config("spark.sql.extensions", EXTENSIONS);
    // spark-submit passes its --master as a system property; a connection's setting wins.
    String master =
        connection
            .properties()
            .getOrDefault(
                "spark.master",
                new SparkConf().getOption("spark.master").getOrElse(() -> "local[*]"));
    builder.master(master);
    if (master.startsWith("local")) {
      // Below 200 reduce partitions (Spark's default), each map task writes a file per partition:
      // on one machine that cost a 2M-row load a third of its time. One sorted file per task
      // instead, and adaptive execution merges the small partitions.
      builder.config(BYPASS_MERGE_THRESHOLD, "1");
    }
    for (Map.Entry<String, String> setting : connection.properties().entrySet()) {
      if (setting.getKey().startsWith("spark.")) {
        builder.config(setting.getKey(), setting.getValue());
      }
    }
    try {
      return builder.getOrCreate();
    } catch (RuntimeException | LinkageError e) {
      String hint =
          e instanceof IllegalAccessError || e.getCause() instanceof IllegalAccessError
              ? "; on Java 17 the JVM needs Spark's --add-opens options (bin/conform passes them)"
              : "; check the spark.* properties of the connection";
      throw new RuntimeFailure(
          "Cannot start Spark (master " + master + ") for " + connection + ": " + e + hint, e);
    }
  }

  /** Registers the warehouse's Iceberg catalog in the session and makes its namespace current. */
  private static void useWarehouse(SparkSession spark, String warehouse) {
    String catalog = catalogName(warehouse);
    String prefix = "spark.sql.catalog." + catalog;
    spark.conf().set(prefix, "org.apache.iceberg.spark.SparkCatalog");
    spark.conf().set(prefix + ".type", "hadoop");
    spark.conf().set(prefix + ".warehouse", location(warehouse));
    // Every statement sees the tables as they are now, also after a failed run restored them.
    spark.conf().set(prefix + ".cache-enabled", "false");
    // A batch deletes few rows of many files: write delete files instead of rewriting them.
    spark.conf().set(prefix + ".table-default.format-version", "2");
    spark.conf().set(prefix + ".table-default.write.delete.mode", "merge-on-read");
    spark.conf().set(prefix + ".table-default.write.update.mode", "merge-on-read");
    spark.conf().set(prefix + ".table-default.write.merge.mode", "merge-on-read");
    String namespace = quote(catalog) + "." + quote(NAMESPACE);
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + namespace);
    spark.sql("USE " + namespace);
  }

  /** A URI as given ({@code hdfs://...}, {@code s3a://...}), a local folder as its file URI. */
  static String location(String warehouse) {
    return warehouse.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:/.*")
        ? URI.create(warehouse).toString()
        : Path.of(warehouse).toAbsolutePath().normalize().toUri().toString();
  }

  /**
   * The engine's words for a failure: the deepest cause's first line (Spark wraps a reading error
   * in job and task failures), and the file it was reading when Spark names one.
   */
  static String message(Throwable error) {
    Throwable deepest = error;
    String file = null;
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      deepest = t;
      Matcher reading = READING_FILE.matcher(String.valueOf(t.getMessage()));
      if (file == null && reading.find()) {
        file = reading.group(1);
      }
    }
    String message = deepest.getMessage();
    if (message == null || message.isBlank()) {
      message = deepest.getClass().getSimpleName();
    }
    String line = message.strip();
    int newline = line.indexOf('\n');
    line = newline < 0 ? line : line.substring(0, newline).strip();
    return file == null ? line : line + " (file " + file + ")";
  }

  /** An identifier in Spark SQL's backticks. */
  static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }

  /** {@code conform_} and a hash of the warehouse's location: a valid, stable catalog name. */
  private static String catalogName(String warehouse) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(location(warehouse).getBytes(StandardCharsets.UTF_8));
      return "conform_" + HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Bug: the JVM has no SHA-256", e);
    }
  }
}
