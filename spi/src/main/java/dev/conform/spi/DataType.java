package dev.conform.spi;

import java.util.Locale;
import java.util.Optional;

/**
 * A column type in Conform's own small type system, shared by specs, plans and runtimes.
 *
 * <p>Decimal types carry precision and scale; other kinds ignore them (both zero).
 */
public record DataType(Kind kind, int precision, int scale) {

  /** The kinds of values Conform moves. */
  public enum Kind {
    STRING,
    BOOLEAN,
    INTEGER,
    BIGINT,
    DOUBLE,
    DECIMAL,
    DATE,
    TIMESTAMP
  }

  public static final DataType STRING = new DataType(Kind.STRING, 0, 0);
  public static final DataType BOOLEAN = new DataType(Kind.BOOLEAN, 0, 0);
  public static final DataType INTEGER = new DataType(Kind.INTEGER, 0, 0);
  public static final DataType BIGINT = new DataType(Kind.BIGINT, 0, 0);
  public static final DataType DOUBLE = new DataType(Kind.DOUBLE, 0, 0);
  public static final DataType DATE = new DataType(Kind.DATE, 0, 0);
  public static final DataType TIMESTAMP = new DataType(Kind.TIMESTAMP, 0, 0);

  public DataType {
    if (kind != Kind.DECIMAL && (precision != 0 || scale != 0)) {
      throw new IllegalArgumentException("Invalid type: only decimal takes precision and scale");
    }
    if (kind == Kind.DECIMAL
        && (precision < 1 || precision > 38 || scale < 0 || scale > precision)) {
      throw new IllegalArgumentException(
          "Invalid decimal: precision " + precision + ", scale " + scale);
    }
  }

  public static DataType decimal(int precision, int scale) {
    return new DataType(Kind.DECIMAL, precision, scale);
  }

  /**
   * Parses a type name as written in specs: {@code string}, {@code varchar}, {@code text}, {@code
   * int}, {@code integer}, {@code bigint}, {@code long}, {@code double}, {@code float}, {@code
   * decimal(p,s)}, {@code numeric(p,s)}, {@code boolean}, {@code bool}, {@code date}, {@code
   * timestamp}, {@code datetime}. Case-insensitive.
   */
  public static Optional<DataType> parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
    switch (t) {
      case "string", "varchar", "text", "char":
        return Optional.of(STRING);
      case "boolean", "bool":
        return Optional.of(BOOLEAN);
      case "int", "integer", "int4", "smallint", "tinyint":
        return Optional.of(INTEGER);
      case "bigint", "long", "int8":
        return Optional.of(BIGINT);
      case "double", "float", "float8", "real", "doubleprecision":
        return Optional.of(DOUBLE);
      case "date":
        return Optional.of(DATE);
      case "timestamp", "datetime":
        return Optional.of(TIMESTAMP);
      case "decimal", "numeric":
        return Optional.of(decimal(18, 3));
      default:
        break;
    }
    if (t.startsWith("varchar(") && t.endsWith(")")) {
      return Optional.of(STRING);
    }
    for (String prefix : new String[] {"decimal(", "numeric("}) {
      if (t.startsWith(prefix) && t.endsWith(")")) {
        String[] parts = t.substring(prefix.length(), t.length() - 1).split(",", -1);
        try {
          int p = Integer.parseInt(parts[0]);
          int s = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
          if (parts.length > 2 || p < 1 || p > 38 || s < 0 || s > p) {
            return Optional.empty();
          }
          return Optional.of(decimal(p, s));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** True for the kinds that compare and add as numbers. */
  public boolean isNumeric() {
    return kind == Kind.INTEGER
        || kind == Kind.BIGINT
        || kind == Kind.DOUBLE
        || kind == Kind.DECIMAL;
  }

  /** True for date and timestamp. */
  public boolean isTemporal() {
    return kind == Kind.DATE || kind == Kind.TIMESTAMP;
  }

  /** The canonical spelling used in specs and printed plans, e.g. {@code decimal(12,2)}. */
  @Override
  public String toString() {
    return kind == Kind.DECIMAL
        ? "decimal(" + precision + "," + scale + ")"
        : kind.name().toLowerCase(Locale.ROOT);
  }
}
