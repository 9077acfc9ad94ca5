package dev.conform.runtime.spark;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import dev.conform.spi.CanonicalText;
import dev.conform.spi.DataType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.catalyst.expressions.Cast;
import org.apache.spark.sql.catalyst.expressions.EvalMode;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import scala.Option;
import scala.collection.JavaConverters;

/**
 * Maps between Conform's types and Spark SQL's, converts values to Conform types the way the DuckDB
 * loader of runtime-jdbc does, and renders Spark values as text.
 *
 * <p>Staged timestamps are {@code TIMESTAMP_NTZ}: wall-clock values that read back as written,
 * whatever the session's time zone.
 */
final class SparkTypes {
  /** A number as DuckDB reads it from text (no hexadecimal, no Java suffixes such as 1d). */
  private static final String DOUBLE_TEXT =
      "^\\s*[+-]?(([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?|(?i:inf|infinity|nan))\\s*$";

  /** A decimal number that DuckDB's integer cast reads; only spaces around it. */
  private static final String NUMBER_TEXT =
      "^ *[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)? *$";

  private static final String ISO_DATE = "^\\s*[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}\\s*$";

  /** Any date DuckDB reads: year, month and day with one separator (- / \ or space). */
  private static final String ANY_DATE = "^\\s*([0-9]{1,7})([-/\\\\ ])([0-9]{1,2})\\2([0-9]{1,2})";

  /** DuckDB reads a timestamp only when the time has at least hours and minutes. */
  private static final String TIME_FOLLOWS = "($|[ T][0-9]{1,2}:[0-9]{1,2})";

  private static final String ISO_TIMESTAMP = "^\\s*[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}" + TIME_FOLLOWS;

  private static final UserDefinedFunction FLOATING_TEXT =
      functions.udf((UDF1<Object, String>) SparkTypes::floatingText, DataTypes.StringType);

  private SparkTypes() {}

  /**
   * Conform's type for a Spark SQL type. Types Conform has no kind for (arrays, maps, structs,
   * binary, intervals) are read as text, as runtime-jdbc reads list and struct columns.
   */
  static DataType typeOf(org.apache.spark.sql.types.DataType type) {
    requireNonNull(type, "type is null");
    if (type instanceof BooleanType) {
      return DataType.BOOLEAN;
    }
    if (type instanceof ByteType || type instanceof ShortType || type instanceof IntegerType) {
      return DataType.INTEGER;
    }
    if (type instanceof LongType) {
      return DataType.BIGINT;
    }
    if (type instanceof FloatType || type instanceof DoubleType) {
      return DataType.DOUBLE;
    }
    if (type instanceof DecimalType decimal) {
      // A negative scale (legacy Spark) is a whole number with more digits.
      return decimal.scale() < 0
          ? DataType.decimal(Math.min(38, decimal.precision() - decimal.scale()), 0)
          : DataType.decimal(decimal.precision(), decimal.scale());
    }
    if (type instanceof DateType) {
      return DataType.DATE;
    }
    if (type instanceof TimestampType || type instanceof TimestampNTZType) {
      return DataType.TIMESTAMP;
    }
    return DataType.STRING;
  }

  /** The Spark type of a staged column of a Conform type; timestamps are wall-clock values. */
  static org.apache.spark.sql.types.DataType stagedType(DataType type) {
    return switch (type.kind()) {
      case STRING -> DataTypes.StringType;
      case BOOLEAN -> DataTypes.BooleanType;
      case INTEGER -> DataTypes.IntegerType;
      case BIGINT -> DataTypes.LongType;
      case DOUBLE -> DataTypes.DoubleType;
      case DECIMAL -> DataTypes.createDecimalType(type.precision(), type.scale());
      case DATE -> DataTypes.DateType;
      case TIMESTAMP -> DataTypes.TimestampNTZType;
    };
  }

  /**
   * The canonical text ({@link CanonicalText} rules) of a value read from a Spark row; null for
   * null. Timestamps with a time zone are shown in UTC, the session's zone. Arrays, maps and
   * structs are shown as DuckDB shows them ({@code [1, 2]}, {@code {k=v}}, {@code {'f': v}}).
   */
  static String text(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Timestamp timestamp) {
      return CanonicalText.timestamp(
          LocalDateTime.ofInstant(timestamp.toInstant(), ZoneOffset.UTC));
    }
    if (value instanceof Instant instant) {
      return CanonicalText.timestamp(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }
    if (value instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    if (value instanceof scala.collection.Seq<?> list) {
      List<String> items = new ArrayList<>();
      for (Object item : JavaConverters.seqAsJavaList(list)) {
        items.add(nestedText(item));
      }
      return "[" + String.join(", ", items) + "]";
    }
    if (value instanceof scala.collection.Map<?, ?> map) {
      List<String> entries = new ArrayList<>();
      for (Map.Entry<?, ?> entry : JavaConverters.mapAsJavaMap(map).entrySet()) {
        entries.add(nestedText(entry.getKey()) + "=" + nestedText(entry.getValue()));
      }
      return "{" + String.join(", ", entries) + "}";
    }
    if (value instanceof Row row) {
      List<String> fields = new ArrayList<>();
      for (int i = 0; i < row.size(); i++) {
        String name = row.schema() == null ? "f" + (i + 1) : row.schema().fields()[i].name();
        fields.add("'" + name + "': " + nestedText(row.get(i)));
      }
      return "{" + String.join(", ", fields) + "}";
    }
    String text = CanonicalText.of(value);
    return text != null ? text : value.toString();
  }

  /** A value inside a list, map or struct, as DuckDB shows it there: NULL, and 2.0 for a double. */
  private static String nestedText(Object value) {
    if (value == null) {
      return "NULL";
    }
    return value instanceof Double || value instanceof Float ? floatingText(value) : text(value);
  }

  /**
   * A value as text the way DuckDB casts it to VARCHAR: what the reject reason and record show, and
   * what a typed column declared as string holds. Floating-point numbers, lists, maps and structs
   * differ from Spark's own cast: DuckDB writes {@code 1e+20} and {@code 12345678.0} (Java {@code
   * 1.0E20} and {@code 1.2345678E7}), {@code [a, NULL]}, {@code {a=1}} and {@code {'q': 1}}.
   */
  static Column engineText(Column value, org.apache.spark.sql.types.DataType type) {
    if (type instanceof StringType) {
      return value;
    }
    if (type instanceof DoubleType || type instanceof FloatType) {
      return FLOATING_TEXT.apply(value);
    }
    if (type instanceof ArrayType array) {
      return concat(
          lit("["),
          functions.array_join(
              functions.transform(value, item -> nestedText(item, array.elementType())), ", "),
          lit("]"));
    }
    if (type instanceof MapType map) {
      return concat(
          lit("{"),
          functions.array_join(
              functions.transform(
                  functions.map_entries(value),
                  entry ->
                      concat(
                          nestedText(entry.getField("key"), map.keyType()),
                          lit("="),
                          nestedText(entry.getField("value"), map.valueType()))),
              ", "),
          lit("}"));
    }
    if (type instanceof StructType struct) {
      List<Column> fields = new ArrayList<>();
      for (StructField field : struct.fields()) {
        fields.add(
            concat(
                lit("'" + field.name() + "': "),
                nestedText(value.getField(field.name()), field.dataType())));
      }
      return when(
          value.isNotNull(),
          concat(lit("{"), concat_ws(", ", fields.toArray(Column[]::new)), lit("}")));
    }
    return value.cast(DataTypes.StringType);
  }

  /** A value inside a list, map or struct: NULL is written out. */
  private static Column nestedText(Column value, org.apache.spark.sql.types.DataType type) {
    return coalesce(engineText(value, type), lit("NULL"));
  }

  /**
   * A double or float as DuckDB writes it: the shortest digits that read back as the same number,
   * plainly from 1e-4 up to 1e16 (with {@code .0} when whole), else in scientific notation with a
   * signed exponent of at least two digits ({@code 1.5e-07}).
   */
  static String floatingText(Object value) {
    if (value == null) {
      return null;
    }
    double number = ((Number) value).doubleValue();
    if (Double.isNaN(number)) {
      return "nan";
    }
    if (Double.isInfinite(number)) {
      return number > 0 ? "inf" : "-inf";
    }
    if (number == 0) {
      return 1 / number < 0 ? "-0.0" : "0.0";
    }
    // Float.toString gives a float's shortest digits; widened to double it would show more.
    String shortest = value instanceof Float f ? Float.toString(f) : Double.toString(number);
    BigDecimal digits = new BigDecimal(shortest).stripTrailingZeros();
    double magnitude = Math.abs(number);
    if (magnitude >= 1e-4 && magnitude < 1e16) {
      String plain = digits.toPlainString();
      return plain.contains(".") ? plain : plain + ".0";
    }
    String unscaled = digits.unscaledValue().abs().toString();
    int exponent = unscaled.length() - 1 - digits.scale();
    String mantissa =
        unscaled.length() == 1 ? unscaled : unscaled.charAt(0) + "." + unscaled.substring(1);
    int size = Math.abs(exponent);
    return (number < 0 ? "-" : "")
        + mantissa
        + "e"
        + (exponent < 0 ? "-" : "+")
        + (size < 10 ? "0" : "")
        + size;
  }

  /**
   * A cast that gives NULL where a value does not convert, whatever the session's ANSI mode says
   * ({@link Column#cast} follows it; Spark 3.5's Java API has no {@code try_cast}).
   */
  static Column tryCast(Column value, org.apache.spark.sql.types.DataType type) {
    return new Column(new Cast(value.expr(), type, Option.empty(), EvalMode.TRY()));
  }

  /**
   * How one column converts: the converted value, and when the conversion can fail, where a value
   * must convert: a row did not convert where that holds and the converted value is NULL.
   */
  record Conversion(Column value, Optional<Column> mustConvert) {}

  /**
   * The conversion of text to a Conform type by the DuckDB loader's rules: booleans are {@code
   * true/false/1/0}, integers are whole numbers (a fraction is not an integer), dates and
   * timestamps are read as DuckDB reads them, or with a DuckDB strptime format. Empty text is a
   * missing value, not a failure.
   */
  static Conversion fromText(
      Column text,
      DataType target,
      Optional<StrptimeFormat> dateFormat,
      Optional<StrptimeFormat> timestampFormat) {
    org.apache.spark.sql.types.DataType staged = stagedType(target);
    Column value =
        switch (target.kind()) {
          case STRING -> text;
          case BOOLEAN -> booleanFromText(text);
          case INTEGER, BIGINT -> integerFromText(text, staged);
          case DOUBLE -> when(text.rlike(DOUBLE_TEXT), tryCast(text, DataTypes.DoubleType));
          case DECIMAL -> tryCast(text, staged);
          case DATE ->
              dateFormat
                  .map(format -> tryCast(format.parse(text), DataTypes.DateType))
                  .orElseGet(() -> dateFromText(text));
          case TIMESTAMP ->
              timestampFormat
                  .map(format -> format.parse(text))
                  .orElseGet(() -> timestampFromText(text));
        };
    if (target.kind() == DataType.Kind.STRING) {
      return new Conversion(value, Optional.empty());
    }
    return new Conversion(value, Optional.of(text.notEqual("")));
  }

  private static Column booleanFromText(Column text) {
    Column word = lower(trim(text));
    return when(word.equalTo("true").or(word.equalTo("1")), lit(true))
        .when(word.equalTo("false").or(word.equalTo("0")), lit(false));
  }

  /**
   * Whole numbers, also when written with a fraction of zero or an exponent ({@code 4.0}, {@code
   * 1e3}); a fraction is not an integer ({@code 1.5} fails, where a cast would round or truncate).
   */
  private static Column integerFromText(Column text, org.apache.spark.sql.types.DataType type) {
    Column whole = tryCast(text, DataTypes.DoubleType).mod(lit(1)).equalTo(lit(0));
    Column exact = tryCast(tryCast(trim(text), DataTypes.createDecimalType(38, 0)), type);
    return coalesce(tryCast(text, type), when(text.rlike(NUMBER_TEXT).and(whole), exact));
  }

  /**
   * Dates as DuckDB reads them: year-month-day with one of the separators {@code - / \} or space,
   * and optionally a time of at least hours and minutes, which is dropped.
   */
  private static Column dateFromText(Column text) {
    return when(text.rlike(ISO_DATE), tryCast(text, DataTypes.DateType))
        .when(text.rlike(ANY_DATE + "\\s*$"), tryCast(isoDate(text), DataTypes.DateType))
        .when(
            text.rlike(ANY_DATE + "[ T][0-9]{1,2}:[0-9]{1,2}"),
            tryCast(tryCast(isoDate(text), DataTypes.TimestampNTZType), DataTypes.DateType));
  }

  /** Timestamps as DuckDB reads them: a date, and a time of at least hours and minutes. */
  private static Column timestampFromText(Column text) {
    return when(text.rlike(ISO_TIMESTAMP), tryCast(text, DataTypes.TimestampNTZType))
        .when(
            text.rlike(ANY_DATE + TIME_FOLLOWS),
            tryCast(isoDate(text), DataTypes.TimestampNTZType));
  }

  /**
   * The text with its leading date written {@code yyyy-m-d}, which Spark's cast reads: the
   * separators become {@code -} and the year gets at least four digits.
   */
  private static Column isoDate(Column text) {
    return functions.regexp_replace(
        functions.regexp_replace(text, ANY_DATE, "000$1-$3-$4"), "^0*([0-9]{4,})", "$1");
  }

  /**
   * The conversion of a typed value (a Parquet column) to a Conform type, as DuckDB's {@code
   * TRY_CAST} does it: numbers round to integers (doubles half to even, decimals half away from
   * zero) where Spark's cast would truncate; a type that does not convert at all (a date to a
   * number) fails for every value. Conversions that cannot fail have no failure condition.
   */
  static Conversion fromTyped(
      Column value, org.apache.spark.sql.types.DataType source, DataType target) {
    if (target.kind() == DataType.Kind.STRING) {
      return new Conversion(engineText(value, source), Optional.empty());
    }
    org.apache.spark.sql.types.DataType staged = stagedType(target);
    if (source.equals(staged)) {
      return new Conversion(value, Optional.empty());
    }
    if (!convertible(source, target)) {
      return new Conversion(lit(null).cast(staged), Optional.of(value.isNotNull()));
    }
    Column converted = tryCast(rounded(value, source, target), staged);
    return new Conversion(
        converted, canFail(source, target) ? Optional.of(value.isNotNull()) : Optional.empty());
  }

  private static Column rounded(
      Column value, org.apache.spark.sql.types.DataType source, DataType target) {
    boolean integer =
        target.kind() == DataType.Kind.INTEGER || target.kind() == DataType.Kind.BIGINT;
    if (integer && (source instanceof DoubleType || source instanceof FloatType)) {
      return functions.bround(value);
    }
    if (integer && source instanceof DecimalType decimal && decimal.scale() > 0) {
      return functions.round(value);
    }
    return value;
  }

  private static boolean convertible(org.apache.spark.sql.types.DataType source, DataType target) {
    return switch (target.kind()) {
      case STRING -> true;
      case BOOLEAN, INTEGER, BIGINT, DOUBLE, DECIMAL ->
          isNumeric(source) || source instanceof BooleanType;
      case DATE, TIMESTAMP -> isTemporal(source);
    };
  }

  /** Whether converting can fail for some value: narrowing, rounding to fewer digits. */
  private static boolean canFail(org.apache.spark.sql.types.DataType source, DataType target) {
    return switch (target.kind()) {
      case STRING, BOOLEAN, DOUBLE, DATE, TIMESTAMP -> false;
      case INTEGER -> !(source instanceof BooleanType || integerDigits(source) <= 5);
      case BIGINT -> !(source instanceof BooleanType || integerDigits(source) <= 10);
      case DECIMAL -> {
        if (source instanceof DecimalType decimal) {
          yield decimal.scale() > target.scale()
              || decimal.precision() - decimal.scale() > target.precision() - target.scale();
        }
        int digits = source instanceof BooleanType ? 1 : integerDigits(source);
        yield digits > target.precision() - target.scale();
      }
    };
  }

  /**
   * How many digits a whole number of an integral type has at most (int: 10, long: 19), or more
   * than any when the type is not integral.
   */
  private static int integerDigits(org.apache.spark.sql.types.DataType type) {
    if (type instanceof ByteType) {
      return 3;
    }
    if (type instanceof ShortType) {
      return 5;
    }
    if (type instanceof IntegerType) {
      return 10;
    }
    if (type instanceof LongType) {
      return 19;
    }
    return Integer.MAX_VALUE;
  }

  private static boolean isNumeric(org.apache.spark.sql.types.DataType type) {
    return type instanceof ByteType
        || type instanceof ShortType
        || type instanceof IntegerType
        || type instanceof LongType
        || type instanceof FloatType
        || type instanceof DoubleType
        || type instanceof DecimalType;
  }

  private static boolean isTemporal(org.apache.spark.sql.types.DataType type) {
    return type instanceof DateType
        || type instanceof TimestampType
        || type instanceof TimestampNTZType;
  }

  /**
   * A DuckDB strptime format (the {@code date_format} and {@code timestamp_format} options, e.g.
   * {@code %d/%m/%Y}) read the way DuckDB reads it: numbers of one or two digits ({@code %Y} up to
   * four), month and day names in any case, whitespace matching any run of whitespace, and
   * whitespace around the text ignored. Translated to a regular expression whose fields build an
   * ISO timestamp that Spark casts, so invalid dates (February 30) give NULL.
   */
  static final class StrptimeFormat {
    private enum Field {
      YEAR,
      SHORT_YEAR,
      MONTH,
      MONTH_ABBREVIATION,
      MONTH_NAME,
      DAY,
      HOUR,
      HOUR_12,
      AM_PM,
      MINUTE,
      SECOND,
      FRACTION,
      OFFSET
    }

    private static final String MONTHS =
        "january|february|march|april|may|june|july|august|september|october|november|december";
    private static final String DAYS = "sunday|monday|tuesday|wednesday|thursday|friday|saturday";

    private final String regex;
    private final Map<Field, Integer> groups;

    private StrptimeFormat(String regex, Map<Field, Integer> groups) {
      this.regex = regex;
      this.groups = groups;
    }

    /**
     * Reads a format.
     *
     * @throws IllegalArgumentException when the format has a specifier this runtime does not read
     *     (say which), or ends with a lone {@code %}
     */
    static StrptimeFormat of(String format) {
      StringBuilder regex = new StringBuilder("^\\s*");
      Map<Field, Integer> groups = new java.util.EnumMap<>(Field.class);
      for (int i = 0; i < format.length(); i++) {
        char c = format.charAt(i);
        if (Character.isWhitespace(c)) {
          while (i + 1 < format.length() && Character.isWhitespace(format.charAt(i + 1))) {
            i++;
          }
          regex.append("\\s+");
          continue;
        }
        if (c != '%') {
          regex.append(java.util.regex.Pattern.quote(String.valueOf(c)));
          continue;
        }
        if (i + 1 == format.length()) {
          throw new IllegalArgumentException("the format ends with a lone %");
        }
        char specifier = format.charAt(++i);
        if (specifier == '-' && i + 1 < format.length()) {
          // %-d is %d without padding; parsing reads both the same way.
          specifier = format.charAt(++i);
          if ("dmHIMSy".indexOf(specifier) < 0) {
            throw new IllegalArgumentException("unsupported specifier %-" + specifier);
          }
        }
        switch (specifier) {
          case 'Y' -> group(regex, groups, Field.YEAR, "[0-9]{1,4}+");
          case 'y' -> group(regex, groups, Field.SHORT_YEAR, "[0-9]{1,2}+");
          case 'm' -> group(regex, groups, Field.MONTH, "[0-9]{1,2}+");
          case 'd' -> group(regex, groups, Field.DAY, "[0-9]{1,2}+");
          case 'H' -> group(regex, groups, Field.HOUR, "[0-9]{1,2}+");
          case 'I' -> group(regex, groups, Field.HOUR_12, "[0-9]{1,2}+");
          case 'M' -> group(regex, groups, Field.MINUTE, "[0-9]{1,2}+");
          case 'S' -> group(regex, groups, Field.SECOND, "[0-9]{1,2}+");
          case 'f' -> group(regex, groups, Field.FRACTION, "[0-9]{1,6}+");
          case 'g' -> group(regex, groups, Field.FRACTION, "[0-9]{1,3}+");
          case 'n' -> group(regex, groups, Field.FRACTION, "[0-9]{1,9}+");
          case 'p' -> group(regex, groups, Field.AM_PM, "(?i:am|pm)");
          case 'b', 'h' ->
              group(regex, groups, Field.MONTH_ABBREVIATION, "(?i:" + abbreviations(MONTHS) + ")");
          case 'B' -> group(regex, groups, Field.MONTH_NAME, "(?i:" + MONTHS + ")");
          case 'z' -> group(regex, groups, Field.OFFSET, "[+-][0-9]{2}(?::?[0-9]{2})?");
          case 'a' -> regex.append("(?i:").append(abbreviations(DAYS)).append(")");
          case 'A' -> regex.append("(?i:").append(DAYS).append(")");
          case 'w' -> regex.append("[0-6]");
          case 'Z' -> regex.append("(?i:utc|gmt)");
          case '%' -> regex.append("%");
          default -> throw new IllegalArgumentException("unsupported specifier %" + specifier);
        }
      }
      regex.append("\\s*$");
      return new StrptimeFormat(regex.toString(), groups);
    }

    private static void group(
        StringBuilder regex, Map<Field, Integer> groups, Field field, String body) {
      groups.put(field, groups.size() + 1);
      regex.append('(').append(body).append(')');
    }

    private static String abbreviations(String names) {
      List<String> shortNames = new ArrayList<>();
      for (String name : names.split("\\|")) {
        shortNames.add(name.substring(0, 3));
      }
      return String.join("|", shortNames);
    }

    /** The timestamp (wall-clock, offsets applied to UTC) the text gives, or NULL. */
    Column parse(Column text) {
      Column year =
          groups.containsKey(Field.YEAR)
              ? functions.lpad(field(text, Field.YEAR), 4, "0")
              : groups.containsKey(Field.SHORT_YEAR)
                  ? shortYear(tryCast(field(text, Field.SHORT_YEAR), DataTypes.IntegerType))
                  : lit("1900");
      Column month =
          groups.containsKey(Field.MONTH)
              ? field(text, Field.MONTH)
              : groups.containsKey(Field.MONTH_ABBREVIATION)
                  ? monthNumber(field(text, Field.MONTH_ABBREVIATION))
                  : groups.containsKey(Field.MONTH_NAME)
                      ? monthNumber(field(text, Field.MONTH_NAME))
                      : lit("1");
      Column valid = text.rlike(regex);
      Column hour = groups.containsKey(Field.HOUR) ? field(text, Field.HOUR) : lit("0");
      if (groups.containsKey(Field.HOUR_12)) {
        Column twelve = tryCast(field(text, Field.HOUR_12), DataTypes.IntegerType);
        valid = valid.and(twelve.between(1, 12));
        Column afternoon =
            groups.containsKey(Field.AM_PM)
                ? when(lower(field(text, Field.AM_PM)).equalTo("pm"), lit(12)).otherwise(lit(0))
                : lit(0);
        hour = twelve.mod(lit(12)).plus(afternoon).cast(DataTypes.StringType);
      }
      Column iso =
          concat(
              year,
              lit("-"),
              month,
              lit("-"),
              orDefault(text, Field.DAY, "1"),
              lit(" "),
              hour,
              lit(":"),
              orDefault(text, Field.MINUTE, "0"),
              lit(":"),
              orDefault(text, Field.SECOND, "0"),
              groups.containsKey(Field.FRACTION)
                  ? concat(lit("."), field(text, Field.FRACTION))
                  : lit(""));
      Column timestamp = tryCast(iso, DataTypes.TimestampNTZType);
      if (groups.containsKey(Field.OFFSET)) {
        timestamp = timestamp.minus(offset(field(text, Field.OFFSET)));
      }
      return when(valid, timestamp);
    }

    private Column field(Column text, Field field) {
      return regexp_extract(text, regex, groups.get(field));
    }

    private Column orDefault(Column text, Field field, String absent) {
      return groups.containsKey(field) ? field(text, field) : lit(absent);
    }

    /** Two-digit years as DuckDB reads them: 69 to 99 are 1969 to 1999, 00 to 68 2000 to 2068. */
    private static Column shortYear(Column year) {
      return when(year.lt(69), year.plus(2000))
          .otherwise(year.plus(1900))
          .cast(DataTypes.StringType);
    }

    private static Column monthNumber(Column name) {
      Column prefix = lower(functions.substring(name, 1, 3));
      String[] months = abbreviations(MONTHS).split("\\|");
      Column number = lit(null).cast(DataTypes.StringType);
      for (int i = months.length - 1; i >= 0; i--) {
        number = when(prefix.equalTo(months[i]), lit(Integer.toString(i + 1))).otherwise(number);
      }
      return number;
    }

    /** A UTC offset ({@code +02}, {@code -0130}, {@code +02:30}) as an interval. */
    private static Column offset(Column text) {
      Column sign = when(functions.substring(text, 1, 1).equalTo("-"), lit(-1)).otherwise(lit(1));
      Column hours = tryCast(functions.substring(text, 2, 2), DataTypes.IntegerType);
      Column minutes =
          coalesce(tryCast(regexp_extract(text, "([0-9]{2})$", 1), DataTypes.IntegerType), lit(0));
      Column total =
          sign.multiply(
              hours
                  .multiply(60)
                  .plus(when(functions.length(text).gt(3), minutes).otherwise(lit(0))));
      return functions.make_dt_interval(lit(0), lit(0), total, lit(0));
    }
  }
}
