package dev.conform.cdc;

import dev.conform.spi.DataType;
import java.sql.Types;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;

/**
 * Turns the text pgoutput sends for a value (the type's output function, under the ISO date style
 * and the time zone the driver sets) into the text {@link SourceColumn#text} gives for the same
 * value read over JDBC, so that a row reads the same from the initial snapshot and from the log.
 * That includes what the driver makes of PostgreSQL's own spellings: {@code infinity} and {@code
 * -infinity} become the largest and smallest Java dates ({@code +999999999-12-31}), {@code
 * 0044-03-15 BC} becomes {@code -0043-03-15} (year 0 is 1 BC), and years past 9999 take a sign
 * ({@code +12345-06-07}).
 */
final class PgValueText {
  private PgValueText() {}

  /** The loader text of {@code value} (null for SQL NULL) of {@code column}. */
  static String of(SourceColumn column, String value) {
    if (value == null) {
      return null;
    }
    switch (column.jdbcType()) {
      case Types.BOOLEAN:
      case Types.BIT:
        if (column.type().kind() != DataType.Kind.BOOLEAN) {
          return value;
        }
        // boolean prints t/f, bit(1) prints 1/0.
        return Boolean.toString(value.equals("t") || value.equals("1"));
      case Types.DATE:
        return date(value);
      case Types.TIMESTAMP:
      case Types.TIMESTAMP_WITH_TIMEZONE:
        return timestamp(value, column.zoned());
      default:
        // Numbers print in plain notation: the text JDBC reads.
        return value;
    }
  }

  private static String date(String value) {
    if (value.equals("infinity") || value.equals("-infinity")) {
      return (value.equals("infinity") ? LocalDate.MAX : LocalDate.MIN).toString();
    }
    try {
      boolean bc = value.endsWith(" BC");
      return date(bc ? value.substring(0, value.length() - 3) : value, bc).toString();
    } catch (DateTimeException | NumberFormatException | IndexOutOfBoundsException e) {
      return value;
    }
  }

  /**
   * A timestamp as printed with ISO date style ({@code 2026-01-01 10:00:00.5}, with a zone {@code
   * +02}, {@code +05:30} or {@code +00:19:32}, then {@code BC} for a year before 1); one with a
   * zone converted to UTC.
   */
  private static String timestamp(String value, boolean zoned) {
    if (value.equals("infinity") || value.equals("-infinity")) {
      return SourceColumn.TIMESTAMP.format(
          value.equals("infinity") ? LocalDateTime.MAX : LocalDateTime.MIN);
    }
    try {
      boolean bc = value.endsWith(" BC");
      String text = bc ? value.substring(0, value.length() - 3) : value;
      int space = text.indexOf(' ');
      String time = text.substring(space + 1);
      ZoneOffset offset = ZoneOffset.UTC;
      if (zoned) {
        int sign = Math.max(time.lastIndexOf('+'), time.lastIndexOf('-'));
        String[] parts = time.substring(sign + 1).split(":");
        int seconds = Integer.parseInt(parts[0]) * 3600;
        if (parts.length > 1) {
          seconds += Integer.parseInt(parts[1]) * 60;
        }
        if (parts.length > 2) {
          seconds += Integer.parseInt(parts[2]);
        }
        offset = ZoneOffset.ofTotalSeconds(time.charAt(sign) == '-' ? -seconds : seconds);
        time = time.substring(0, sign);
      }
      LocalDateTime local =
          LocalDateTime.of(date(text.substring(0, space), bc), LocalTime.parse(time));
      return SourceColumn.TIMESTAMP.format(
          local.atOffset(offset).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
    } catch (DateTimeException | NumberFormatException | IndexOutOfBoundsException e) {
      return value;
    }
  }

  /** {@code yyyy-mm-dd}, the year of any length; a BC year counted back from year 0 (1 BC). */
  private static LocalDate date(String text, boolean bc) {
    int month = text.lastIndexOf('-', text.lastIndexOf('-') - 1);
    int year = Integer.parseInt(text.substring(0, month));
    String[] rest = text.substring(month + 1).split("-");
    return LocalDate.of(bc ? 1 - year : year, Integer.parseInt(rest[0]), Integer.parseInt(rest[1]));
  }
}
