package dev.conform.dsl;

import java.util.Locale;
import java.util.Optional;

/**
 * What a delete event does. Type 2: {@code close} ends the open version; {@code tombstone} ends it
 * and opens a version flagged deleted; {@code ignore} skips deletes. Type 1: {@code close} removes
 * the row; {@code tombstone} keeps it flagged deleted; {@code ignore} skips deletes.
 */
public enum DeleteMode {
  CLOSE,
  TOMBSTONE,
  IGNORE;

  public static Optional<DeleteMode> parse(String text) {
    for (DeleteMode mode : values()) {
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
