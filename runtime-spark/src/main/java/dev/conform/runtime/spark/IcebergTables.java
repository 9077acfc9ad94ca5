package dev.conform.runtime.spark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The Iceberg tables of one warehouse and their states: what a run saves before it starts, so that
 * a failed run can put every table back exactly as it was (schema, snapshots and properties).
 */
final class IcebergTables {
  private final SparkSession spark;
  private final String catalog;

  IcebergTables(SparkSession spark, String catalog) {
    this.spark = spark;
    this.catalog = catalog;
  }

  /** The metadata of every table of the warehouse's namespace, by table name. */
  Map<String, TableMetadata> states() {
    Map<String, TableMetadata> states = new LinkedHashMap<>();
    List<Row> rows =
        spark
            .sql("SHOW TABLES IN `" + catalog + "`.`" + SparkSessions.NAMESPACE + "`")
            .collectAsList();
    for (Row row : rows) {
      if (!row.getBoolean(row.fieldIndex("isTemporary"))) {
        String name = row.getString(row.fieldIndex("tableName"));
        states.put(name, operations(name).refresh());
      }
    }
    return states;
  }

  /**
   * Rows the commits since {@code before} added to tables: the {@code added-records} of every
   * snapshot that is current now and was not then.
   */
  long addedRecords(Map<String, TableMetadata> before, Map<String, TableMetadata> after) {
    long added = 0;
    for (Map.Entry<String, TableMetadata> table : after.entrySet()) {
      Snapshot now = table.getValue().currentSnapshot();
      TableMetadata then = before.get(table.getKey());
      Snapshot previous = then == null ? null : then.currentSnapshot();
      for (Snapshot s = now;
          s != null && (previous == null || s.snapshotId() != previous.snapshotId());
          s = s.parentId() == null ? null : table.getValue().snapshot(s.parentId())) {
        added += Long.parseLong(s.summary().getOrDefault("added-records", "0"));
      }
    }
    return added;
  }

  /**
   * Puts the warehouse back to {@code before}: tables created since are dropped with their files,
   * tables changed since get their saved metadata back as a new version.
   */
  void restore(Map<String, TableMetadata> before) {
    Map<String, TableMetadata> now = states();
    for (Map.Entry<String, TableMetadata> table : now.entrySet()) {
      TableMetadata saved = before.get(table.getKey());
      if (saved == null) {
        spark.sql("DROP TABLE IF EXISTS " + quote(table.getKey()) + " PURGE");
      } else if (!saved.metadataFileLocation().equals(table.getValue().metadataFileLocation())) {
        TableOperations operations = operations(table.getKey());
        operations.commit(operations.current(), saved);
      }
    }
  }

  private TableOperations operations(String table) {
    try {
      Table loaded = Spark3Util.loadIcebergTable(spark, qualified(table));
      return ((HasTableOperations) loaded).operations();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot load Iceberg table " + qualified(table), e);
    }
  }

  private String qualified(String table) {
    return catalog + "." + SparkSessions.NAMESPACE + "." + table;
  }

  private String quote(String table) {
    return "`" + catalog + "`.`" + SparkSessions.NAMESPACE + "`.`" + table + "`";
  }
}
