package dev.conform.runtime.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.SparkSession;

/**
 * The Iceberg tables of the session's current warehouse and their states: what a run saves before
 * it starts, so that a failed run can put every table back exactly as it was (schema, snapshots and
 * properties).
 */
final class IcebergTables {
  private final SparkSession spark;

  IcebergTables(SparkSession spark) {
    this.spark = spark;
  }

  /** The names of the warehouse's tables (not the session's temporary views). */
  java.util.List<String> names() {
    return spark.sql("SHOW TABLES").collectAsList().stream()
        .filter(row -> !row.getBoolean(row.fieldIndex("isTemporary")))
        .map(row -> row.getString(row.fieldIndex("tableName")))
        .toList();
  }

  /** The metadata of every table of the warehouse, by table name. */
  Map<String, TableMetadata> states() {
    Map<String, TableMetadata> states = new LinkedHashMap<>();
    for (String name : names()) {
      states.put(name, operations(name).current());
    }
    return states;
  }

  /** The metadata of one table of the warehouse. */
  TableMetadata state(String table) {
    return operations(table).current();
  }

  /**
   * Rows the commits from {@code before} to {@code after} (one table's states) inserted, updated or
   * deleted, from Iceberg's snapshot summaries: rows added by appends and by merge-on-read updates
   * ({@code overwrite}), rows deleted by deletes (whole files, or positions). A delete that
   * replaces a data file's delete file adds the earlier positions again, and says it removed them.
   */
  static long changedRecords(TableMetadata before, TableMetadata after) {
    Snapshot previous = before.currentSnapshot();
    long changed = 0;
    for (Snapshot s = after.currentSnapshot();
        s != null && (previous == null || s.snapshotId() != previous.snapshotId());
        s = s.parentId() == null ? null : after.snapshot(s.parentId())) {
      Map<String, String> summary = s.summary();
      changed +=
          "delete".equals(s.operation())
              ? count(summary, "deleted-records")
                  + count(summary, "added-position-deletes")
                  - count(summary, "removed-position-deletes")
              : count(summary, "added-records");
    }
    return changed;
  }

  private static long count(Map<String, String> summary, String key) {
    return Long.parseLong(summary.getOrDefault(key, "0"));
  }

  /**
   * Puts the warehouse back to {@code before}: tables created since are dropped with their files,
   * tables changed since get their saved metadata back as a new version.
   *
   * @throws IllegalStateException when a table of {@code before} is gone (a run must not drop
   *     tables: it replaces them, which keeps their history)
   */
  void restore(Map<String, TableMetadata> before) {
    Map<String, TableMetadata> now = states();
    for (Map.Entry<String, TableMetadata> table : now.entrySet()) {
      TableMetadata saved = before.get(table.getKey());
      if (saved == null) {
        spark.sql("DROP TABLE IF EXISTS " + SparkSessions.quote(table.getKey()) + " PURGE");
      } else if (!saved.metadataFileLocation().equals(table.getValue().metadataFileLocation())) {
        TableOperations operations = operations(table.getKey());
        operations.commit(operations.current(), saved);
      }
    }
    for (String table : before.keySet()) {
      if (!now.containsKey(table)) {
        throw new IllegalStateException(
            "Cannot restore table '" + table + "': the run dropped it, and its files with it");
      }
    }
  }

  private TableOperations operations(String table) {
    return ((HasTableOperations) table(table)).operations();
  }

  /** The Iceberg table of the warehouse named {@code table}, as it is now. */
  Table table(String table) {
    try {
      return Spark3Util.loadIcebergTable(spark, table);
    } catch (Exception e) {
      // Spark's parse and analysis exceptions are checked ones, thrown undeclared.
      throw new IllegalStateException("Cannot load Iceberg table '" + table + "'", e);
    }
  }
}
