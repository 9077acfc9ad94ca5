package dev.conform.cdc;

import dev.conform.spi.DataType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Debezium's encodings of column values (as the Kafka Connect JSON converter writes them) turned
 * into the text {@link SourceColumn} gives the same types: dates as {@code 2026-11-21}, timestamps
 * as {@code 2026-11-21 10:15:30.5} in UTC, decimals in plain notation. A field's schema (from the
 * envelope's {@code schema}) names the encoding; without one a value is taken as it is.
 */
final class DebeziumValues {
  static final String DATE = "io.debezium.time.Date";
  static final String TIME = "io.debezium.time.Time";
  static final String MICRO_TIME = "io.debezium.time.MicroTime";
  static final String NANO_TIME = "io.debezium.time.NanoTime";
  static final String TIMESTAMP = "io.debezium.time.Timestamp";
  static final String MICRO_TIMESTAMP = "io.debezium.time.MicroTimestamp";
  static final String NANO_TIMESTAMP = "io.debezium.time.NanoTimestamp";
  static final String ZONED_TIMESTAMP = "io.debezium.time.ZonedTimestamp";
  static final String VARIABLE_SCALE_DECIMAL = "io.debezium.data.VariableScaleDecimal";
  static final String CONNECT_DECIMAL = "org.apache.kafka.connect.data.Decimal";
  static final String CONNECT_DATE = "org.apache.kafka.connect.data.Date";
  static final String CONNECT_TIME = "org.apache.kafka.connect.data.Time";
  static final String CONNECT_TIMESTAMP = "org.apache.kafka.connect.data.Timestamp";

  private static final DateTimeFormatter TIME_OF_DAY =
      new DateTimeFormatterBuilder()
          .appendPattern("HH:mm:ss")
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .toFormatter(Locale.ROOT);

  private static final long END_OF_DAY = 86_400_000_000_000L;

  private DebeziumValues() {}

  /** The Conform type a column of this field schema loads as. */
  static DataType type(Map<String, Object> field) {
    String name = text(field.get("name"));
    if (name != null) {
      switch (name) {
        case DATE:
        case CONNECT_DATE:
          return DataType.DATE;
        case TIMESTAMP:
        case MICRO_TIMESTAMP:
        case NANO_TIMESTAMP:
        case ZONED_TIMESTAMP:
        case CONNECT_TIMESTAMP:
          return DataType.TIMESTAMP;
        case TIME:
        case MICRO_TIME:
        case NANO_TIME:
        case CONNECT_TIME:
          return DataType.STRING;
        case VARIABLE_SCALE_DECIMAL:
          return SourceColumn.WIDE_DECIMAL;
        case CONNECT_DECIMAL:
          return decimalType(field);
        default:
          break;
      }
    }
    String type = text(field.get("type"));
    return switch (type == null ? "" : type) {
      case "int8", "int16", "int32" -> DataType.INTEGER;
      case "int64" -> DataType.BIGINT;
      case "float", "float32", "float64", "double" -> DataType.DOUBLE;
      case "boolean" -> DataType.BOOLEAN;
      default -> DataType.STRING;
    };
  }

  /** A Connect decimal's declared precision and scale, as wide as a decimal(38) can be. */
  private static DataType decimalType(Map<String, Object> field) {
    Map<String, Object> parameters = parameters(field);
    Optional<Integer> scale = integer(parameters.get("scale"));
    Optional<Integer> precision = integer(parameters.get("connect.decimal.precision"));
    if (scale.isEmpty() || scale.get() < 0 || scale.get() > 38) {
      return SourceColumn.WIDE_DECIMAL;
    }
    if (precision.isPresent() && precision.get() >= 1 && precision.get() <= 38) {
      return DataType.decimal(precision.get(), Math.min(scale.get(), precision.get()));
    }
    return precision.isPresent() ? SourceColumn.WIDE_DECIMAL : DataType.decimal(38, scale.get());
  }

  /**
   * {@code value} of a column whose schema is {@code field} (null when the events carry no schema)
   * as loader text, or null.
   *
   * @throws MalformedEvent when the value does not fit its encoding
   */
  static String text(Object value, Map<String, Object> field) {
    if (value == null) {
      return null;
    }
    String name = field == null ? null : text(field.get("name"));
    if (name == null) {
      return plain(value);
    }
    try {
      switch (name) {
        case DATE:
        case CONNECT_DATE:
          return LocalDate.ofEpochDay(whole(value, name).longValueExact()).toString();
        case TIME:
        case CONNECT_TIME:
          return timeOfDay(Math.multiplyExact(whole(value, name).longValueExact(), 1_000_000L));
        case MICRO_TIME:
          return timeOfDay(Math.multiplyExact(whole(value, name).longValueExact(), 1_000L));
        case NANO_TIME:
          return timeOfDay(whole(value, name).longValueExact());
        case TIMESTAMP:
        case CONNECT_TIMESTAMP:
          return timestamp(Instant.ofEpochMilli(whole(value, name).longValueExact()));
        case MICRO_TIMESTAMP:
          return timestamp(
              Instant.EPOCH.plus(whole(value, name).longValueExact(), ChronoUnit.MICROS));
        case NANO_TIMESTAMP:
          return timestamp(Instant.ofEpochSecond(0, whole(value, name).longValueExact()));
        case ZONED_TIMESTAMP:
          return timestamp(OffsetDateTime.parse(string(value, name)).toInstant());
        case CONNECT_DECIMAL:
          if (value instanceof BigDecimal number) {
            return number.toPlainString();
          }
          Optional<Integer> scale = integer(parameters(field).get("scale"));
          if (scale.isEmpty()) {
            throw new MalformedEvent("has a " + name + " schema without a scale parameter");
          }
          return unscaled(string(value, name), scale.get());
        case VARIABLE_SCALE_DECIMAL:
          if (!(value instanceof Map<?, ?> parts)) {
            return plain(value);
          }
          Optional<Integer> variable = integer(parts.get("scale"));
          if (variable.isEmpty() || !(parts.get("value") instanceof String bytes)) {
            throw new MalformedEvent(
                "holds " + JsonTree.write(value) + ", which is not a " + name + " {scale, value}");
          }
          return unscaled(bytes, variable.get());
        default:
          return plain(value);
      }
    } catch (ArithmeticException | DateTimeException | IllegalArgumentException e) {
      throw new MalformedEvent(
          "holds " + JsonTree.write(value) + ", which is not a " + name + ": " + e.getMessage(), e);
    }
  }

  /** A value without an encoding: text, numbers in plain notation, objects as JSON text. */
  static String plain(Object value) {
    if (value instanceof String string) {
      return string;
    }
    if (value instanceof BigDecimal number) {
      return number.toPlainString();
    }
    if (value instanceof Boolean flag) {
      return flag.toString();
    }
    return JsonTree.write(value);
  }

  /** A moment as the loaders' timestamp text, in UTC. */
  static String timestamp(Instant instant) {
    return SourceColumn.TIMESTAMP.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
  }

  /**
   * A time of day in nanoseconds after midnight; {@code 24:00:00} (which PostgreSQL's and MySQL's
   * time types hold) is the end of the day, which {@link LocalTime} has no value for.
   */
  private static String timeOfDay(long nanos) {
    if (nanos == END_OF_DAY) {
      return "24:00:00";
    }
    return TIME_OF_DAY.format(LocalTime.ofNanoOfDay(nanos));
  }

  private static String unscaled(String base64, int scale) {
    byte[] bytes = Base64.getDecoder().decode(base64);
    if (bytes.length == 0) {
      throw new MalformedEvent("holds a decimal of no bytes");
    }
    return new BigDecimal(new BigInteger(bytes), scale).toPlainString();
  }

  private static BigDecimal whole(Object value, String name) {
    if (value instanceof BigDecimal number) {
      return new BigDecimal(number.toBigIntegerExact());
    }
    throw new MalformedEvent(
        "holds " + JsonTree.write(value) + ", but a " + name + " is a whole number");
  }

  private static String string(Object value, String name) {
    if (value instanceof String string) {
      return string;
    }
    throw new MalformedEvent("holds " + JsonTree.write(value) + ", but a " + name + " is text");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parameters(Map<String, Object> field) {
    return field.get("parameters") instanceof Map<?, ?> parameters
        ? (Map<String, Object>) parameters
        : Map.of();
  }

  private static Optional<Integer> integer(Object value) {
    try {
      if (value instanceof BigDecimal number) {
        return Optional.of(number.intValueExact());
      }
      if (value instanceof String string) {
        return Optional.of(Integer.parseInt(string.trim()));
      }
    } catch (ArithmeticException | NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static String text(Object value) {
    return value instanceof String string ? string : null;
  }
}
