package dev.conform.runtime.spark;

import java.io.Serial;
import java.io.Serializable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.codegen.CodeBlock;
import org.apache.spark.sql.catalyst.expressions.codegen.CodegenContext;
import org.apache.spark.sql.catalyst.expressions.codegen.ExprCode;
import org.apache.spark.sql.catalyst.expressions.codegen.FalseLiteral$;
import org.apache.spark.sql.catalyst.expressions.codegen.JavaCode;
import org.apache.spark.sql.catalyst.util.DateFormatter$;
import org.apache.spark.sql.catalyst.util.DateTimeUtils;
import org.apache.spark.sql.catalyst.util.TimestampFormatter$;
import org.apache.spark.sql.types.BooleanType$;
import org.apache.spark.sql.types.ByteType$;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType$;
import org.apache.spark.sql.types.IntegerType$;
import org.apache.spark.sql.types.LongType$;
import org.apache.spark.sql.types.ShortType$;
import org.apache.spark.sql.types.TimestampNTZType$;
import org.apache.spark.sql.types.TimestampType$;
import org.apache.spark.unsafe.types.UTF8String;
import scala.collection.IndexedSeq;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.runtime.AbstractFunction1;

/**
 * Surrogate keys on Spark: {@code CONFORM_HASH64(v1, v2, ...)}, the value every dialect computes
 * for the values, the first 15 hex digits of the MD5 of their canonical text, as a number. That
 * text is each value as Spark's {@code CAST(value AS STRING)} writes it, NULL as {@code \N}, joined
 * by {@code |}; the values are whole numbers, booleans, dates, timestamps and text (the plan casts
 * other types to text).
 *
 * <p>An expression of Spark's own, compiled into the query's generated code: it writes the text's
 * bytes from the values as Spark holds them, with no conversion to Java objects. Spark's casts and
 * concatenation took about 12 s of a 20M-row first run on 2 cores, a user-defined function over the
 * values as much (its arguments are converted to Java objects); the key's MD5 itself takes a
 * quarter of that. Dates and timestamps outside the years 1 to 9999 are written by Spark's own
 * formatters, as its casts write them.
 */
public final class Hash64 extends Expression implements Serializable {
  /** The name the Spark dialect renders the function with. */
  static final String NAME = "conform_hash64";

  @Serial private static final long serialVersionUID = 1L;

  private final List<Expression> values;

  /** How each of {@code values} is written, by its type. */
  private final List<Kind> kinds;

  /** The zone Spark writes timestamps in: the session's. */
  private final String zone;

  /**
   * @throws IllegalArgumentException when a value is of a type the function does not write
   */
  private Hash64(List<Expression> values, String zone) {
    this.values = List.copyOf(values);
    this.kinds = this.values.stream().map(v -> Kind.of(v.dataType())).toList();
    this.zone = zone;
  }

  /** Makes the function known to the session's SQL, writing timestamps in the session's zone. */
  static void register(SparkSession spark) {
    String zone = spark.conf().get("spark.sql.session.timeZone");
    spark
        .sessionState()
        .functionRegistry()
        .createOrReplaceTempFunction(NAME, new Builder(zone), "built-in");
  }

  /** Builds the expression from the arguments of a call. */
  private static final class Builder extends AbstractFunction1<Seq<Expression>, Expression>
      implements Serializable {
    @Serial private static final long serialVersionUID = 1L;
    private final String zone;

    Builder(String zone) {
      this.zone = zone;
    }

    @Override
    public Expression apply(Seq<Expression> arguments) {
      List<Expression> values = JavaConverters.seqAsJavaList(arguments);
      if (values.isEmpty()) {
        throw new IllegalArgumentException(NAME + " needs at least one value");
      }
      return new Hash64(values, zone);
    }
  }

  /**
   * How a value of one type is written: by the method {@code method} of {@link Text}, which takes
   * the value as Spark holds it. The planner casts values of other types to text (its {@code
   * DialectRenderer.HASHED_AS_VALUES} lists these types).
   */
  private enum Kind {
    LONG("appendLong"),
    INT("appendInt"),
    BOOLEAN("appendBoolean"),
    TEXT("appendText"),
    DATE("appendDate"),
    TIMESTAMP("appendTimestamp"),
    WALL_CLOCK("appendWallClock");

    final String method;

    Kind(String method) {
      this.method = method;
    }

    static Kind of(DataType type) {
      if (type == LongType$.MODULE$) {
        return LONG;
      } else if (type == IntegerType$.MODULE$
          || type == ShortType$.MODULE$
          || type == ByteType$.MODULE$) {
        return INT;
      } else if (type == BooleanType$.MODULE$) {
        return BOOLEAN;
      } else if (type instanceof org.apache.spark.sql.types.StringType) {
        return TEXT;
      } else if (type == DateType$.MODULE$) {
        return DATE;
      } else if (type == TimestampType$.MODULE$) {
        return TIMESTAMP;
      } else if (type == TimestampNTZType$.MODULE$) {
        return WALL_CLOCK;
      }
      throw new IllegalArgumentException(
          NAME + " takes whole numbers, booleans, dates, timestamps and text, not " + type.sql());
    }

    /**
     * Appends {@code value} (not null), as Spark's {@link InternalRow} holds it, to {@code text}.
     */
    void append(Text text, Object value) {
      switch (this) {
        case LONG -> text.appendLong((Long) value);
        case INT -> text.appendInt(((Number) value).intValue());
        case BOOLEAN -> text.appendBoolean((Boolean) value);
        case TEXT -> text.appendText((UTF8String) value);
        case DATE -> text.appendDate((Integer) value);
        case TIMESTAMP -> text.appendTimestamp((Long) value);
        case WALL_CLOCK -> text.appendWallClock((Long) value);
      }
    }
  }

  @Override
  public boolean nullable() {
    return false;
  }

  @Override
  public DataType dataType() {
    return DataTypes.LongType;
  }

  @Override
  public Seq<Expression> children() {
    return JavaConverters.asScalaBuffer(values).toSeq();
  }

  @Override
  public Expression withNewChildrenInternal(IndexedSeq<Expression> children) {
    return new Hash64(JavaConverters.seqAsJavaList(children), zone);
  }

  @Override
  public Object eval(InternalRow input) {
    Text text = Text.start(zone);
    for (int i = 0; i < values.size(); i++) {
      Object value = values.get(i).eval(input);
      if (value == null) {
        text.appendNull();
      } else {
        kinds.get(i).append(text, value);
      }
    }
    return text.hash();
  }

  @Override
  public ExprCode doGenCode(CodegenContext ctx, ExprCode ev) {
    String text = ctx.freshName("text");
    String type = Text.class.getName().replace('$', '.');
    StringBuilder code = new StringBuilder();
    code.append(type).append(' ').append(text).append(" = ").append(type);
    code.append(".start(\"")
        .append(zone.replace("\\", "\\\\").replace("\"", "\\\""))
        .append("\");\n");
    for (int i = 0; i < values.size(); i++) {
      ExprCode c = values.get(i).genCode(ctx);
      code.append(c.code().code()).append('\n');
      code.append("if (").append(c.isNull().code()).append(") {\n  ");
      code.append(text).append(".appendNull();\n} else {\n  ");
      code.append(text).append('.').append(kinds.get(i).method);
      code.append('(').append(c.value().code()).append(");\n}\n");
    }
    code.append("long ").append(ev.value().code()).append(" = ").append(text).append(".hash();");
    CodeBlock block =
        new CodeBlock(
            JavaConverters.asScalaBuffer(List.of(code.toString())).toSeq(),
            JavaConverters.asScalaBuffer(new ArrayList<JavaCode>()).toSeq());
    return ev.copy(block, FalseLiteral$.MODULE$, ev.value());
  }

  @Override
  public String prettyName() {
    return NAME;
  }

  @Override
  public int productArity() {
    return 2;
  }

  @Override
  public Object productElement(int n) {
    return switch (n) {
      case 0 -> children();
      case 1 -> zone;
      default -> throw new IndexOutOfBoundsException(n);
    };
  }

  @Override
  public boolean canEqual(Object that) {
    return that instanceof Hash64;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Hash64 that && values.equals(that.values) && zone.equals(that.zone);
  }

  @Override
  public int hashCode() {
    return Objects.hash(values, zone);
  }

  /**
   * A canonical text being written, one per thread and reused: its UTF-8 bytes, and the MD5 that
   * hashes them. Public for the code Spark generates.
   */
  public static final class Text {
    private static final ThreadLocal<Text> CURRENT = ThreadLocal.withInitial(Text::new);
    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final byte[] NULL = {'\\', 'N'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

    private final MessageDigest md5 = md5();
    private byte[] bytes = new byte[128];
    private int length;
    private boolean first;
    private String zoneName;
    private ZoneId zone;

    /** The calling thread's text, emptied, writing timestamps in {@code zone}. */
    public static Text start(String zone) {
      Text text = CURRENT.get();
      text.length = 0;
      text.first = true;
      if (!zone.equals(text.zoneName)) {
        text.zone = DateTimeUtils.getZoneId(zone);
        text.zoneName = zone;
      }
      return text;
    }

    /** The first 15 hex digits of the MD5 of the text, as a number. */
    public long hash() {
      md5.update(bytes, 0, length);
      byte[] digest = md5.digest();
      long first64 = 0;
      for (int i = 0; i < Long.BYTES; i++) {
        first64 = first64 << Byte.SIZE | (digest[i] & 0xff);
      }
      return first64 >>> 4;
    }

    public void appendNull() {
      separate();
      put(NULL);
    }

    public void appendLong(long value) {
      separate();
      if (value == Long.MIN_VALUE) {
        put(Long.toString(value));
        return;
      }
      if (value < 0) {
        put((byte) '-');
        value = -value;
      }
      int start = length;
      do {
        put((byte) ('0' + value % 10));
        value /= 10;
      } while (value != 0);
      reverse(start);
    }

    public void appendInt(int value) {
      appendLong(value);
    }

    public void appendBoolean(boolean value) {
      separate();
      put(value ? TRUE : FALSE);
    }

    public void appendText(UTF8String value) {
      separate();
      put(value.getBytes());
    }

    /** {@code yyyy-MM-dd}, as Spark writes a date. */
    public void appendDate(int days) {
      separate();
      LocalDate date = LocalDate.ofEpochDay(days);
      if (date.getYear() < 1 || date.getYear() > 9999) {
        put(DateFormatter$.MODULE$.apply().format(days));
      } else {
        date(date);
      }
    }

    /** A timestamp, in the session's zone, as Spark writes it. */
    public void appendTimestamp(long micros) {
      separate();
      timestamp(micros, zone, false);
    }

    /** A timestamp without time zone: its micros count wall-clock time. */
    public void appendWallClock(long micros) {
      separate();
      timestamp(micros, ZoneOffset.UTC, true);
    }

    /**
     * {@code yyyy-MM-dd HH:mm:ss}, then the fraction of a second without its trailing zeros, if
     * any.
     */
    private void timestamp(long micros, ZoneId zone, boolean wall) {
      long seconds = Math.floorDiv(micros, MICROS_PER_SECOND);
      int fraction = (int) Math.floorMod(micros, MICROS_PER_SECOND);
      ZoneOffset offset =
          zone instanceof ZoneOffset fixed
              ? fixed
              : zone.getRules().getOffset(Instant.ofEpochSecond(seconds));
      LocalDateTime time = LocalDateTime.ofEpochSecond(seconds, fraction * 1000, offset);
      if (time.getYear() < 1 || time.getYear() > 9999) {
        put(
            TimestampFormatter$.MODULE$
                .getFractionFormatter(wall ? ZoneOffset.UTC : zone)
                .format(micros));
        return;
      }
      date(time.toLocalDate());
      put((byte) ' ');
      digits(time.getHour(), 2);
      put((byte) ':');
      digits(time.getMinute(), 2);
      put((byte) ':');
      digits(time.getSecond(), 2);
      if (fraction != 0) {
        int width = 6;
        while (fraction % 10 == 0) {
          fraction /= 10;
          width--;
        }
        put((byte) '.');
        digits(fraction, width);
      }
    }

    private void date(LocalDate date) {
      digits(date.getYear(), 4);
      put((byte) '-');
      digits(date.getMonthValue(), 2);
      put((byte) '-');
      digits(date.getDayOfMonth(), 2);
    }

    /** {@code value} (not negative) with leading zeros to {@code width} digits. */
    private void digits(int value, int width) {
      int start = length;
      for (int i = 0; i < width || value != 0; i++) {
        put((byte) ('0' + value % 10));
        value /= 10;
      }
      reverse(start);
    }

    private void separate() {
      if (first) {
        first = false;
      } else {
        put((byte) '|');
      }
    }

    private void reverse(int start) {
      for (int i = start, j = length - 1; i < j; i++, j--) {
        byte b = bytes[i];
        bytes[i] = bytes[j];
        bytes[j] = b;
      }
    }

    private void put(String text) {
      put(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private void put(byte[] more) {
      room(more.length);
      System.arraycopy(more, 0, bytes, length, more.length);
      length += more.length;
    }

    private void put(byte b) {
      room(1);
      bytes[length++] = b;
    }

    private void room(int more) {
      if (length + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
      }
    }

    private static MessageDigest md5() {
      try {
        return MessageDigest.getInstance("MD5");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("Bug: the JVM has no MD5", e);
      }
    }
  }
}
