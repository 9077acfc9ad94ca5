package dev.conform.dsl;

import static java.util.Objects.requireNonNull;

import dev.conform.spi.Column;
import dev.conform.spi.SourceData;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A source: either files matched by {@code path} (a glob, relative to the connection's folder) in
 * {@code format}, or a database {@code table} (possibly schema-qualified) read over the connection.
 * Columns are declared or, when {@code columns} is empty, read from the files or the table. {@code
 * key} names the columns that identify a row (empty when not declared). {@code cdc} says how
 * changes are captured; without it every run reads what is new: files not yet loaded, or the whole
 * table. {@code deleteWhen} marks rows that are deletes in the change stream.
 */
public record SourceSpec(
    Named name,
    Named connection,
    Optional<String> path,
    Optional<Named> table,
    Optional<SourceData.Format> format,
    Map<String, String> options,
    List<ColumnSpec> columns,
    List<Named> key,
    Optional<CdcSpec> cdc,
    Optional<Expression> deleteWhen,
    Position position) {
  public SourceSpec {
    requireNonNull(name, "name is null");
    requireNonNull(connection, "connection is null");
    requireNonNull(path, "path is null");
    requireNonNull(table, "table is null");
    requireNonNull(format, "format is null");
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    columns = List.copyOf(columns);
    key = List.copyOf(key);
    requireNonNull(cdc, "cdc is null");
    requireNonNull(deleteWhen, "deleteWhen is null");
    requireNonNull(position, "position is null");
  }

  /**
   * The condition that marks a row as a delete: {@code deleteWhen} when given, else, for a change
   * capture that sees operations, {@code _cdc_op = 'delete'}.
   */
  public Optional<Expression> deletes() {
    if (deleteWhen.isPresent() || cdc.isEmpty() || !cdc.get().seesOperations()) {
      return deleteWhen;
    }
    Position at = cdc.get().position();
    return Optional.of(
        new Expression(
            CdcSpec.DELETE_CONDITION,
            ExpressionParser.parse(CdcSpec.DELETE_CONDITION, at).expr().orElseThrow(),
            at));
  }

  /**
   * The columns this source's change capture adds to each row ({@link CdcSpec#CHANGE_COLUMNS}), or
   * none.
   */
  public List<Column> changeColumns() {
    return cdc.isPresent() && cdc.get().seesOperations() ? CdcSpec.CHANGE_COLUMNS : List.of();
  }

  /** True when the source reads a database table rather than files. */
  public boolean isTable() {
    return table.isPresent();
  }
}
