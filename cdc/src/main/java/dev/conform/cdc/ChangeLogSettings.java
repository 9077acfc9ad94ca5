package dev.conform.cdc;

import static java.util.Objects.requireNonNull;

import dev.conform.dsl.CdcSpec;
import dev.conform.dsl.Named;
import dev.conform.dsl.SourceSpec;
import java.util.List;

/**
 * The {@code change_log} strategy's settings: the tracked table's key, the log table a trigger
 * fills (by default {@code <table>_changes}, in the table's schema when the spec qualifies the
 * table), its id, operation and time columns, whether a committed run purges the log rows it read,
 * and how many log ids below the mark each run reads again.
 */
public record ChangeLogSettings(
    List<String> key,
    String logTable,
    String idColumn,
    String opColumn,
    String timeColumn,
    boolean purge,
    long lookback) {
  public ChangeLogSettings {
    key = List.copyOf(key);
    requireNonNull(logTable, "logTable is null");
    requireNonNull(idColumn, "idColumn is null");
    requireNonNull(opColumn, "opColumn is null");
    requireNonNull(timeColumn, "timeColumn is null");
    if (lookback < 0) {
      throw new IllegalArgumentException("Invalid lookback: " + lookback);
    }
  }

  /**
   * The settings of a validated {@code cdc} of a source that reads {@code table} by {@code key}.
   */
  /** The settings of a table source with {@code cdc: { strategy: change_log }}. */
  public static ChangeLogSettings of(SourceSpec source) {
    return of(
        source.table().orElseThrow().name(),
        source.key().stream().map(Named::name).toList(),
        source.cdc().orElseThrow());
  }

  public static ChangeLogSettings of(String table, List<String> key, CdcSpec cdc) {
    return new ChangeLogSettings(
        key,
        setting(cdc, "log_table", table + "_changes"),
        setting(cdc, "id_column", "change_id"),
        setting(cdc, "op_column", "change_op"),
        setting(cdc, "time_column", "changed_at"),
        Boolean.parseBoolean(setting(cdc, "purge", "false")),
        Long.parseLong(setting(cdc, "lookback", "0")));
  }

  /** The log table's name without its schema. */
  public String logTableName() {
    return logTable.substring(logTable.lastIndexOf('.') + 1).strip();
  }

  /** The log table's schema as the settings write it, or null when they do not qualify it. */
  public String logTableSchema() {
    int dot = logTable.lastIndexOf('.');
    return dot < 0 ? null : logTable.substring(0, dot).strip();
  }

  /**
   * The log table as the settings write it, or in {@code schema} (the tracked table's) when they do
   * not qualify it and {@code schema} is not null.
   */
  public String logTableIn(String schema) {
    return logTableSchema() != null || schema == null ? logTable : schema + "." + logTable.strip();
  }

  private static String setting(CdcSpec cdc, String key, String otherwise) {
    return cdc.setting(key).map(s -> s.value().strip()).orElse(otherwise);
  }
}
