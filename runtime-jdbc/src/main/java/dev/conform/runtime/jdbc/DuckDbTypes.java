package dev.conform.runtime.jdbc;

import dev.conform.spi.DataType;
import java.util.Locale;

/** Maps between Conform's types and DuckDB's type names. */
final class DuckDbTypes {
  private DuckDbTypes() {}

  /** The DuckDB type a Conform column is stored as. */
  static String sqlType(DataType type) {
    return switch (type.kind()) {
      case STRING -> "VARCHAR";
      case BOOLEAN -> "BOOLEAN";
      case INTEGER -> "INTEGER";
      case BIGINT -> "BIGINT";
      case DOUBLE -> "DOUBLE";
      case DECIMAL -> "DECIMAL(" + type.precision() + "," + type.scale() + ")";
      case DATE -> "DATE";
      case TIMESTAMP -> "TIMESTAMP";
    };
  }

  /** True when DuckDB reads the type as text, so Conform's text conversion rules apply. */
  static boolean isText(String engineType) {
    String name = engineType.strip().toUpperCase(Locale.ROOT);
    return name.equals("VARCHAR") || name.equals("TEXT") || name.equals("STRING");
  }
}
