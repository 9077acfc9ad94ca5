package dev.conform.dsl;

import static java.util.Objects.requireNonNull;

import dev.conform.spi.SourceData;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A source: files matched by {@code path} (a glob, relative to the connection's folder) in {@code
 * format}. Columns are declared or, when {@code columns} is empty, read from the files. {@code
 * deleteWhen} marks rows that are deletes in the change stream.
 */
public record SourceSpec(
    Named name,
    Named connection,
    String path,
    Optional<SourceData.Format> format,
    Map<String, String> options,
    List<ColumnSpec> columns,
    Optional<Expression> deleteWhen,
    Position position) {
  public SourceSpec {
    requireNonNull(name, "name is null");
    requireNonNull(connection, "connection is null");
    requireNonNull(path, "path is null");
    requireNonNull(format, "format is null");
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    columns = List.copyOf(columns);
    requireNonNull(deleteWhen, "deleteWhen is null");
    requireNonNull(position, "position is null");
  }
}
