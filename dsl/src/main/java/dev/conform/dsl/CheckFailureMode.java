package dev.conform.dsl;

import java.util.Locale;
import java.util.Optional;

/**
 * What happens to a row that fails a check: {@code quarantine} moves it to the reject table (the
 * default), {@code fail} fails the run (nothing changes), {@code warn} loads it and counts it.
 */
public enum CheckFailureMode {
  QUARANTINE,
  FAIL,
  WARN;

  public static Optional<CheckFailureMode> parse(String text) {
    for (CheckFailureMode mode : values()) {
      if (mode.keyword().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return Optional.of(mode);
      }
    }
    return Optional.empty();
  }

  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }
}
