package dev.conform.cdc;

import static java.util.Objects.requireNonNull;

import dev.conform.spi.DataType;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Locale;

/**
 * A column of a source table as the database describes it: its exact name, its JDBC type, and the
 * Conform type it loads as. Reads its value from a row as the text the runtimes' loaders convert:
 * numbers in plain notation, dates as {@code 2026-11-21}, timestamps as {@code 2026-11-21
 * 10:15:30.5} (with a time zone: converted to UTC), booleans as {@code true}/{@code false}.
 */
record SourceColumn(String name, int jdbcType, String typeName, DataType type) {
  static final DateTimeFormatter TIMESTAMP =
      new DateTimeFormatterBuilder()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .appendLiteral(' ')
          .append(DateTimeFormatter.ofPattern("HH:mm:ss"))
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .toFormatter(Locale.ROOT);

  /**
   * An unconstrained numeric (PostgreSQL's {@code numeric}, or one wider than 38 digits) loads as
   * this; the spec can declare the column for another scale.
   */
  static final DataType WIDE_DECIMAL = DataType.decimal(38, 10);

  SourceColumn {
    requireNonNull(name, "name is null");
    requireNonNull(typeName, "typeName is null");
    requireNonNull(type, "type is null");
  }

  /** The Conform type a column of this JDBC type, precision, scale and signedness loads as. */
  static DataType typeOf(int jdbcType, int precision, int scale, boolean signed) {
    return switch (jdbcType) {
      case Types.BOOLEAN -> DataType.BOOLEAN;
      case Types.BIT -> precision <= 1 ? DataType.BOOLEAN : DataType.STRING;
      case Types.TINYINT, Types.SMALLINT -> DataType.INTEGER;
      case Types.INTEGER -> signed ? DataType.INTEGER : DataType.BIGINT;
      case Types.BIGINT -> signed ? DataType.BIGINT : DataType.decimal(20, 0);
      case Types.REAL, Types.FLOAT, Types.DOUBLE -> DataType.DOUBLE;
      case Types.NUMERIC, Types.DECIMAL ->
          precision < 1 || precision > 38
              ? WIDE_DECIMAL
              : DataType.decimal(precision, Math.max(0, Math.min(scale, precision)));
      case Types.DATE -> DataType.DATE;
      case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> DataType.TIMESTAMP;
      default -> DataType.STRING;
    };
  }

  /** True for timestamps that carry a zone or offset, which load converted to UTC. */
  boolean zoned() {
    return jdbcType == Types.TIMESTAMP_WITH_TIMEZONE
        || typeName.toLowerCase(Locale.ROOT).equals("timestamptz")
        || typeName.toLowerCase(Locale.ROOT).startsWith("timestamp with time zone");
  }

  /** The value at {@code index} of the current row as loader text, or null. */
  String text(ResultSet row, int index) throws SQLException {
    switch (jdbcType) {
      case Types.BOOLEAN:
      case Types.BIT:
        if (type.kind() != DataType.Kind.BOOLEAN) {
          return row.getString(index);
        }
        boolean flag = row.getBoolean(index);
        return row.wasNull() ? null : Boolean.toString(flag);
      case Types.NUMERIC:
      case Types.DECIMAL:
        BigDecimal number = row.getBigDecimal(index);
        return number == null ? null : number.toPlainString();
      case Types.DATE:
        LocalDate date = row.getObject(index, LocalDate.class);
        return date == null ? null : date.toString();
      case Types.TIMESTAMP:
      case Types.TIMESTAMP_WITH_TIMEZONE:
        LocalDateTime timestamp = timestamp(row, index);
        return timestamp == null ? null : TIMESTAMP.format(timestamp);
      default:
        return row.getString(index);
    }
  }

  /** A timestamp value as local date-time; zoned values in UTC. */
  LocalDateTime timestamp(ResultSet row, int index) throws SQLException {
    if (zoned()) {
      OffsetDateTime value = row.getObject(index, OffsetDateTime.class);
      if (value == null) {
        return null;
      }
      // PostgreSQL's infinity and -infinity, which have no instant to convert.
      if (value.equals(OffsetDateTime.MAX) || value.equals(OffsetDateTime.MIN)) {
        return value.equals(OffsetDateTime.MAX) ? LocalDateTime.MAX : LocalDateTime.MIN;
      }
      return value.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
    }
    return row.getObject(index, LocalDateTime.class);
  }
}
