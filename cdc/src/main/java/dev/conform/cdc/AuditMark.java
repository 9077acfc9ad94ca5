package dev.conform.cdc;

import dev.conform.spi.DataType;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The values of one audit column: how they are read, compared, written as a stored mark and bound
 * as the lower bound of the next read. Timestamps with a zone are kept in UTC.
 */
final class AuditMark {
  private static final long SECONDS_PER_DAY = Duration.ofDays(1).getSeconds();

  private final SourceColumn column;
  private final DataType.Kind kind;

  AuditMark(SourceColumn column) {
    this.column = column;
    this.kind = column.type().kind();
  }

  SourceColumn column() {
    return column;
  }

  /** The audit value of the current row: a LocalDateTime, LocalDate or BigDecimal, or null. */
  Comparable<?> read(ResultSet row, int index) throws SQLException {
    return switch (kind) {
      case TIMESTAMP -> column.timestamp(row, index);
      case DATE -> row.getObject(index, LocalDate.class);
      default -> row.getBigDecimal(index);
    };
  }

  /** The greater of two values (either may be null). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Comparable<?> max(Comparable<?> a, Comparable<?> b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return ((Comparable) a).compareTo(b) >= 0 ? a : b;
  }

  String format(Comparable<?> value) {
    return switch (kind) {
      case TIMESTAMP -> SourceColumn.TIMESTAMP.format((LocalDateTime) value);
      case DATE -> value.toString();
      default -> ((BigDecimal) value).toPlainString();
    };
  }

  /** Parses a stored mark; empty text or a wrong shape is a failure naming the column. */
  Comparable<?> parse(String mark, String where) {
    try {
      return switch (kind) {
        case TIMESTAMP -> LocalDateTime.parse(mark, SourceColumn.TIMESTAMP);
        case DATE -> LocalDate.parse(mark);
        default -> new BigDecimal(mark);
      };
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new ExtractFailure(
          "Cannot read "
              + where
              + ": the stored high-water mark '"
              + mark
              + "' does not fit audit column '"
              + column.name()
              + "' of type "
              + column.typeName()
              + "; its type changed since the last run: rebuild the models that read it with"
              + " conform run --full-refresh",
          e);
    }
  }

  /**
   * The lower bound of the next read: the mark less the lookback. Date columns always read the
   * mark's day again, since rows changed later that day carry the same date.
   */
  Comparable<?> lowerBound(Comparable<?> mark, AuditColumn audit) {
    return switch (kind) {
      case TIMESTAMP -> ((LocalDateTime) mark).minus(audit.timeLookback());
      case DATE -> {
        long seconds = audit.timeLookback().getSeconds();
        long days = (seconds + SECONDS_PER_DAY - 1) / SECONDS_PER_DAY;
        yield ((LocalDate) mark).minusDays(days);
      }
      default -> ((BigDecimal) mark).subtract(audit.amountLookback());
    };
  }

  /** The comparison a read uses: {@code >=} for dates (see {@link #lowerBound}), else {@code >}. */
  String comparison() {
    return kind == DataType.Kind.DATE ? ">=" : ">";
  }

  void bind(PreparedStatement statement, int index, Comparable<?> bound) throws SQLException {
    switch (kind) {
      case TIMESTAMP -> {
        LocalDateTime value = (LocalDateTime) bound;
        if (column.zoned()) {
          statement.setObject(index, value.atOffset(ZoneOffset.UTC));
        } else {
          statement.setObject(index, value);
        }
      }
      case DATE -> statement.setObject(index, bound);
      default -> statement.setBigDecimal(index, (BigDecimal) bound);
    }
  }

  /** Fails when the lookback's kind does not fit the column: a duration on a number, or back. */
  void checkLookback(AuditColumn audit, String where) {
    boolean numeric = !column.type().isTemporal();
    if (numeric && !audit.timeLookback().isZero()) {
      throw new ExtractFailure(
          "Cannot read "
              + where
              + ": its lookback is a duration, but audit column '"
              + column.name()
              + "' is a number ("
              + column.typeName()
              + "); write the lookback as a whole number of the column's units",
          null);
    }
    if (!numeric && audit.amountLookback().signum() != 0) {
      throw new ExtractFailure(
          "Cannot read "
              + where
              + ": its lookback is a number, but audit column '"
              + column.name()
              + "' holds "
              + (kind == DataType.Kind.DATE ? "dates" : "timestamps")
              + " ("
              + column.typeName()
              + "); write the lookback as a duration such as 5m, 2h or 1d",
          null);
    }
  }
}
