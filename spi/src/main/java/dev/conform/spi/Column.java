package dev.conform.spi;

import static java.util.Objects.requireNonNull;

/** A named, typed column of a table, staging area or source. */
public record Column(String name, DataType type) {
  public Column {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
  }

  public static Column of(String name, DataType type) {
    return new Column(name, type);
  }
}
