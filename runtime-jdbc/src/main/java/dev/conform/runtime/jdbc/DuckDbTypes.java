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

  /**
   * Conform's type for a DuckDB type name. Types Conform has no kind for (lists, arrays, structs,
   * maps, unions, blobs, intervals, JSON, UUID, TIME) are read as text. Spec type names are parsed
   * by {@link DataType#parse}; this adds DuckDB's own spellings.
   */
  static DataType typeOf(String engineType) {
    String name = engineType.strip().toUpperCase(Locale.ROOT);
    if (name.endsWith("]")
        || name.startsWith("STRUCT")
        || name.startsWith("MAP")
        || name.startsWith("UNION")) {
      return DataType.STRING;
    }
    if (name.startsWith("TIMESTAMP")) {
      return DataType.TIMESTAMP;
    }
    return switch (name) {
      case "BPCHAR" -> DataType.STRING;
      case "INT2", "INT1", "UTINYINT", "USMALLINT" -> DataType.INTEGER;
      case "HUGEINT", "UBIGINT", "UHUGEINT", "UINTEGER" -> DataType.BIGINT;
      case "FLOAT4" -> DataType.DOUBLE;
      default -> DataType.parse(name).orElse(DataType.STRING);
    };
  }

  /** True when DuckDB reads the type as text, so Conform's text conversion rules apply. */
  static boolean isText(String engineType) {
    String name = engineType.strip().toUpperCase(Locale.ROOT);
    return name.equals("VARCHAR") || name.equals("TEXT") || name.equals("STRING");
  }
}
