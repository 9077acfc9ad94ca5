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
   * Conform's type for a DuckDB type name. Types Conform has no kind for (lists, structs, blobs,
   * intervals, JSON, UUID, TIME) are read as text.
   */
  static DataType typeOf(String engineType) {
    String name = engineType.strip().toUpperCase(Locale.ROOT);
    if (name.startsWith("DECIMAL(") || name.startsWith("NUMERIC(")) {
      String[] parts = name.substring(name.indexOf('(') + 1, name.length() - 1).split(",");
      int precision = Integer.parseInt(parts[0].strip());
      int scale = parts.length > 1 ? Integer.parseInt(parts[1].strip()) : 0;
      return DataType.decimal(precision, scale);
    }
    if (name.startsWith("TIMESTAMP")) {
      return DataType.TIMESTAMP;
    }
    return switch (name) {
      case "VARCHAR", "TEXT", "STRING", "CHAR", "BPCHAR" -> DataType.STRING;
      case "BOOLEAN", "BOOL" -> DataType.BOOLEAN;
      case "INTEGER",
          "INT",
          "INT4",
          "SMALLINT",
          "INT2",
          "TINYINT",
          "INT1",
          "UTINYINT",
          "USMALLINT" ->
          DataType.INTEGER;
      case "BIGINT", "INT8", "LONG", "HUGEINT", "UBIGINT", "UHUGEINT", "UINTEGER" ->
          DataType.BIGINT;
      case "DOUBLE", "FLOAT8", "FLOAT", "FLOAT4", "REAL" -> DataType.DOUBLE;
      case "DECIMAL", "NUMERIC" -> DataType.decimal(18, 3);
      case "DATE" -> DataType.DATE;
      case "DATETIME" -> DataType.TIMESTAMP;
      default -> DataType.STRING;
    };
  }

  /** True when DuckDB reads the type as text, so Conform's text conversion rules apply. */
  static boolean isText(String engineType) {
    String name = engineType.strip().toUpperCase(Locale.ROOT);
    return name.equals("VARCHAR") || name.equals("TEXT") || name.equals("STRING");
  }
}
