package dev.conform.spi;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Renders engine values as the canonical text of {@link dev.conform.spi.QueryResult}, so results
 * compare equal across engines: numbers without exponent, dates {@code yyyy-MM-dd}, timestamps
 * {@code yyyy-MM-dd HH:mm:ss} with the fraction of a second only when it is not zero (trailing
 * zeros removed), booleans {@code true}/{@code false}. Timestamps with a time zone are shown in
 * UTC. Runtimes use it to fill {@link QueryResult}.
 */
public final class CanonicalText {
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private CanonicalText() {}

  /** The text of column {@code index} (1-based) of the current row, or null for SQL NULL. */
  public static String of(ResultSet rs, int index) throws SQLException {
    Object value = rs.getObject(index);
    if (value == null) {
      return null;
    }
    String text = of(value);
    return text != null ? text : rs.getString(index);
  }

  /** The canonical text of a value, or null when its class has no canonical form here. */
  public static String of(Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Boolean b) {
      return b.toString();
    }
    if (value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte
        || value instanceof BigInteger) {
      return value.toString();
    }
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (value instanceof Double || value instanceof Float) {
      return number(((Number) value).doubleValue());
    }
    if (value instanceof LocalDate d) {
      return d.toString();
    }
    if (value instanceof java.sql.Date d) {
      return d.toLocalDate().toString();
    }
    if (value instanceof java.sql.Timestamp t) {
      return timestamp(t.toLocalDateTime());
    }
    if (value instanceof LocalDateTime t) {
      return timestamp(t);
    }
    if (value instanceof OffsetDateTime t) {
      return timestamp(t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
    }
    if (value instanceof ZonedDateTime t) {
      return timestamp(t.withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime());
    }
    if (value instanceof LocalTime t) {
      return t.toString();
    }
    return null;
  }

  /**
   * A double without exponent and without trailing zeros: {@code 1}, {@code 1.5}, {@code 0.001}.
   */
  public static String number(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.toString(value);
    }
    if (value == 0) {
      return "0";
    }
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  public static String timestamp(LocalDateTime value) {
    String seconds = value.format(SECONDS);
    int nanos = value.getNano();
    if (nanos == 0) {
      return seconds;
    }
    String fraction = String.format("%09d", nanos);
    int end = fraction.length();
    while (fraction.charAt(end - 1) == '0') {
      end--;
    }
    return seconds + "." + fraction.substring(0, end);
  }
}
