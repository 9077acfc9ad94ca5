package dev.conform.examples;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The benchmark's yardstick on Spark: the customer dimension as someone would write it by hand in
 * Spark SQL, one statement per load, into an Iceberg table of the same columns as Conform's.
 *
 * <p>The initial load is one window over the Parquet file: each record's version ends where the
 * customer's next record starts. A batch rewrites the whole table: the versions, read back as
 * records, and the batch's records go through the same window again. Neither finds duplicates,
 * folds repeats or keeps a journal, so both are lower bounds for Conform's work. The session has
 * the settings Conform gives a local one (UTC; one sorted shuffle file per task), so that a
 * comparison measures the plans, not the configuration.
 *
 * <pre>
 * HandWrittenSparkScd initial|batch RECORDS.parquet WAREHOUSE_FOLDER
 * </pre>
 */
public final class HandWrittenSparkScd {
  private static final String TABLE = "reference.bench.dim_customer";

  private HandWrittenSparkScd() {}

  public static void main(String[] args) {
    if (args.length != 3 || !(args[0].equals("initial") || args[0].equals("batch"))) {
      System.err.println("usage: HandWrittenSparkScd initial|batch RECORDS.parquet WAREHOUSE");
      System.exit(2);
    }
    String records = Path.of(args[1]).toAbsolutePath().toUri().toString();
    String warehouse = Path.of(args[2]).toAbsolutePath().toUri().toString();
    SparkSession spark =
        SparkSession.builder()
            .appName("hand-written")
            .master(System.getProperty("spark.master", "local[*]"))
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.shuffle.sort.bypassMergeThreshold", "1")
            .config(
                "spark.sql.extensions",
                "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
            .config("spark.sql.catalog.reference", "org.apache.iceberg.spark.SparkCatalog")
            .config("spark.sql.catalog.reference.type", "hadoop")
            .config("spark.sql.catalog.reference.warehouse", warehouse)
            .getOrCreate();
    try {
      spark.sql("CREATE NAMESPACE IF NOT EXISTS reference.bench");
      long start = System.nanoTime();
      String source = "parquet.`" + records + "`";
      if (args[0].equals("initial")) {
        spark.sql(
            "CREATE TABLE "
                + TABLE
                + " USING iceberg AS "
                + versions(
                    "SELECT customer_id, txn_id, file_no, line_no, effective_date FROM " + source));
      } else {
        spark.sql(
            "INSERT OVERWRITE "
                + TABLE
                + " "
                + versions(
                    "SELECT customer_id, txn_id, file_no, line_no, start_date AS effective_date"
                        + " FROM "
                        + TABLE
                        + " UNION ALL SELECT customer_id, txn_id, file_no, line_no,"
                        + " effective_date FROM "
                        + source));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "%s: %d versions in %.2f s%n", args[0], spark.table(TABLE).count(), seconds);
    } finally {
      spark.stop();
    }
  }

  /** The versions of the records: each ends where its customer's next record starts. */
  private static String versions(String records) {
    return "SELECT xxhash64(customer_id, effective_date, txn_id) AS customer_sk, customer_id,"
        + " txn_id, file_no, line_no, effective_date AS start_date,"
        + " COALESCE(LEAD(effective_date) OVER w, TIMESTAMP '9999-12-31 00:00:00') AS end_date,"
        + " LEAD(effective_date) OVER w IS NULL AS is_current"
        + " FROM ("
        + records
        + ") WINDOW w AS (PARTITION BY customer_id ORDER BY effective_date, txn_id)";
  }
}
