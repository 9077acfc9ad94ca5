package dev.conform.cdc;

import dev.conform.spi.DataType;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Turns the text pgoutput sends for a value (the type's output function, under the ISO date style
 * and the time zone the driver sets) into the text {@link SourceColumn#text} gives for the same
 * value read over JDBC, so that a row reads the same from the initial snapshot and from the log.
 */
final class PgValueText {
  private PgValueText() {}

  /** The loader text of {@code value} (null for SQL NULL) of {@code column}. */
  static String of(SourceColumn column, String value) {
    if (value == null) {
      return null;
    }
    if ((column.jdbcType() == Types.BOOLEAN || column.jdbcType() == Types.BIT)
        && column.type().kind() == DataType.Kind.BOOLEAN) {
      // boolean prints t/f, bit(1) prints 1/0.
      return Boolean.toString(value.equals("t") || value.equals("1"));
    }
    if (column.zoned()) {
      return utc(value);
    }
    // Numbers print in plain notation, dates and timestamps in ISO: the text JDBC reads.
    return value;
  }

  /**
   * A timestamptz as printed with ISO date style ({@code 2026-01-01 10:00:00.5+02}, {@code +05:30},
   * {@code +00:19:32}) converted to UTC; other text (infinity, BC dates) as it is.
   */
  private static String utc(String value) {
    int sign = Math.max(value.lastIndexOf('+'), value.lastIndexOf('-'));
    if (sign < "yyyy-mm-dd hh".length() || value.endsWith(" BC")) {
      return value;
    }
    try {
      LocalDateTime local =
          LocalDateTime.parse(value.substring(0, sign).strip(), SourceColumn.TIMESTAMP);
      String[] parts = value.substring(sign + 1).split(":");
      int seconds = Integer.parseInt(parts[0]) * 3600;
      if (parts.length > 1) {
        seconds += Integer.parseInt(parts[1]) * 60;
      }
      if (parts.length > 2) {
        seconds += Integer.parseInt(parts[2]);
      }
      ZoneOffset offset = ZoneOffset.ofTotalSeconds(value.charAt(sign) == '-' ? -seconds : seconds);
      return SourceColumn.TIMESTAMP.format(
          local.atOffset(offset).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
    } catch (DateTimeParseException | NumberFormatException e) {
      return value;
    }
  }
}
