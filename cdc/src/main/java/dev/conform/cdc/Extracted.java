package dev.conform.cdc;

import static java.util.Objects.requireNonNull;

import dev.conform.spi.Column;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What an extraction wrote: the columns of the landing file (names as the table spells them, types
 * declared or mapped from the table's), how many rows, the new high-water mark (the highest audit
 * value read, or the old mark when no row was read; empty without an audit column), and the file:
 * newline-delimited JSON objects whose values are text or null.
 */
public record Extracted(List<Column> columns, long rows, Optional<String> mark, Path file) {
  public Extracted {
    columns = List.copyOf(columns);
    requireNonNull(mark, "mark is null");
    requireNonNull(file, "file is null");
  }
}
