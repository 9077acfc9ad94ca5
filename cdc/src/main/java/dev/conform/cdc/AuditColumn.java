package dev.conform.cdc;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code audit_column} strategy's settings and state: the column whose value grows with every
 * change, how far below the stored mark to read again ({@code timeLookback} for timestamp and date
 * columns, {@code amountLookback} for numeric ones; rows read twice are absorbed downstream by
 * sequence), and the high-water mark the last committed run reached, as text (empty before the
 * first run: everything is read).
 */
public record AuditColumn(
    String column, Duration timeLookback, BigDecimal amountLookback, Optional<String> mark) {
  public AuditColumn {
    requireNonNull(column, "column is null");
    requireNonNull(timeLookback, "timeLookback is null");
    requireNonNull(amountLookback, "amountLookback is null");
    requireNonNull(mark, "mark is null");
    if (timeLookback.isNegative() || amountLookback.signum() < 0) {
      throw new IllegalArgumentException("Invalid lookback: negative");
    }
  }
}
