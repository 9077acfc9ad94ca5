package dev.conform.cdc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a full snapshot was taken, as the {@code _cdc_at} of its changes. A file's time is the first
 * ISO date in its name ({@code balances_2024-03-01.csv} is 2024-03-01 00:00), optionally followed
 * by {@code T}, a space or {@code _} and a time {@code HH:mm[:ss]} or {@code HHmm[ss]} ({@code
 * 2024-03-01T0930}); a name without a valid date gives the file's last-modified time, in UTC. A
 * table's time is when its extraction started, in UTC.
 */
final class SnapshotTime {
  /** The text of {@code _cdc_at}: {@code yyyy-MM-dd HH:mm:ss.SSSSSS}. */
  private static final Pattern DATE =
      Pattern.compile(
          "(?<!\\d)(\\d{4})-(\\d{2})-(\\d{2})"
              + "(?:[T _](\\d{2})(?::(\\d{2})(?::(\\d{2}))?|(\\d{2})(\\d{2})?)(?!\\d))?");

  private SnapshotTime() {}

  /** The time of the full snapshot in {@code file}: the date in its name, or when it changed. */
  static LocalDateTime ofFile(Path file) {
    return fromName(file.getFileName().toString())
        .orElseGet(
            () -> {
              try {
                return utc(Files.getLastModifiedTime(file).toInstant());
              } catch (IOException e) {
                throw new ExtractFailure(
                    "Cannot read file " + file + ": " + e.getMessage() + "; nothing was loaded", e);
              }
            });
  }

  /** The first valid date (with its time, when one follows) in a file's {@code name}. */
  static Optional<LocalDateTime> fromName(String name) {
    Matcher matcher = DATE.matcher(name);
    int from = 0;
    while (matcher.find(from)) {
      LocalDate date;
      try {
        date =
            LocalDate.of(
                Integer.parseInt(matcher.group(1)),
                Integer.parseInt(matcher.group(2)),
                Integer.parseInt(matcher.group(3)));
      } catch (DateTimeException e) {
        // Not a date: look again from the next character, as its time part may hold one.
        from = matcher.start() + 1;
        continue;
      }
      return Optional.of(date.atTime(time(matcher).orElse(LocalTime.MIDNIGHT)));
    }
    return Optional.empty();
  }

  /** The time after the date, when there is one and it is a valid time of day. */
  private static Optional<LocalTime> time(Matcher matcher) {
    if (matcher.group(4) == null) {
      return Optional.empty();
    }
    String minutes = matcher.group(5) != null ? matcher.group(5) : matcher.group(7);
    String seconds = matcher.group(5) != null ? matcher.group(6) : matcher.group(8);
    try {
      return Optional.of(
          LocalTime.of(
              Integer.parseInt(matcher.group(4)),
              Integer.parseInt(minutes),
              seconds == null ? 0 : Integer.parseInt(seconds)));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  /** An instant as a UTC date-time, to the microsecond that {@code _cdc_at} keeps. */
  static LocalDateTime utc(Instant instant) {
    return LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }

  static String format(LocalDateTime time) {
    return ChangeRowWriter.AT.format(time);
  }
}
