package dev.conform.spi;

import java.util.Locale;

/**
 * Conform's type for a DuckDB type name, for every module that reads what DuckDB detected or
 * stored: the JDBC runtime, and change capture's snapshot store over files.
 */
public final class DuckDbTypeNames {
  private DuckDbTypeNames() {}

  /**
   * Conform's type for a DuckDB type name. Types Conform has no kind for (lists, arrays, structs,
   * maps, unions, blobs, intervals, JSON, UUID, TIME) are read as text. Spec type names are parsed
   * by {@link DataType#parse}; this adds DuckDB's own spellings.
   */
  public static DataType typeOf(String engineType) {
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
}
