package dev.conform.dsl;

import static java.util.Objects.requireNonNull;

import dev.conform.spi.DataType;

/** A declared source column: name and type. */
public record ColumnSpec(String name, DataType type, Position position) {
  public ColumnSpec {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    requireNonNull(position, "position is null");
  }
}
