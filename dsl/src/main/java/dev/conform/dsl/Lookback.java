package dev.conform.dsl;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How far before the stored high-water mark an audit-column read starts again, so that rows
 * committed late with an older audit value are still seen: a {@link Time} for a timestamp or date
 * column, an {@link Amount} for a numeric one. Written as {@code 30s}, {@code 5m}, {@code 2h},
 * {@code 1d}, {@code 250ms}, an ISO-8601 duration ({@code PT5M}) or a whole number ({@code 100}).
 */
public sealed interface Lookback {

  /** Go back by a span of time; never negative. */
  record Time(Duration duration) implements Lookback {
    public Time {
      requireNonNull(duration, "duration is null");
      if (duration.isNegative()) {
        throw new IllegalArgumentException("Invalid lookback: " + duration + " is negative");
      }
    }
  }

  /** Go back by an amount of a numeric audit column; never negative. */
  record Amount(long amount) implements Lookback {
    public Amount {
      if (amount < 0) {
        throw new IllegalArgumentException("Invalid lookback: " + amount + " is negative");
      }
    }
  }

  /** No lookback: read from the high-water mark itself. Fits any audit column. */
  Lookback NONE = new Amount(0);

  /**
   * The lookback {@code text} spells (trimmed, any case), or empty when it spells none: a whole
   * number is an {@link Amount}; a whole number with a unit ({@code ms}, {@code s}, {@code m},
   * {@code h}, {@code d}) or an ISO-8601 duration of at least zero is a {@link Time}.
   */
  static Optional<Lookback> parse(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    // Compiled per call: an interface cannot hold a private constant, and this runs once a source.
    Matcher matcher = Pattern.compile("([0-9]+)(ms|s|m|h|d|)").matcher(value);
    try {
      if (matcher.matches()) {
        long amount = Long.parseLong(matcher.group(1));
        return Optional.of(
            switch (matcher.group(2)) {
              case "" -> new Amount(amount);
              case "ms" -> new Time(Duration.ofMillis(amount));
              case "s" -> new Time(Duration.ofSeconds(amount));
              case "m" -> new Time(Duration.ofMinutes(amount));
              case "h" -> new Time(Duration.ofHours(amount));
              default -> new Time(Duration.ofDays(amount));
            });
      }
      if (value.startsWith("p")) {
        Duration duration = Duration.parse(value);
        return duration.isNegative() ? Optional.empty() : Optional.of(new Time(duration));
      }
    } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
      // Too large for a long or a Duration, or not ISO-8601: not a lookback.
    }
    return Optional.empty();
  }
}
