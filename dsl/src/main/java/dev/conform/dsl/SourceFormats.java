package dev.conform.dsl;

import dev.conform.spi.SourceData;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** File formats by name and by file extension. */
public final class SourceFormats {
  /** The format keywords, in the order they are listed to users. */
  public static final List<String> KEYWORDS = List.of("csv", "parquet", "json");

  private SourceFormats() {}

  /** The format named by a keyword ({@code csv}, {@code parquet}, {@code json}). */
  public static Optional<SourceData.Format> parse(String keyword) {
    String lower = keyword.trim().toLowerCase(Locale.ROOT);
    return KEYWORDS.contains(lower)
        ? Optional.of(SourceData.Format.valueOf(lower.toUpperCase(Locale.ROOT)))
        : Optional.empty();
  }

  /** The format a path's extension implies: {@code .csv}, {@code .parquet}, {@code .json}... */
  public static Optional<SourceData.Format> fromPath(String path) {
    String lower = path.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".gz")) {
      lower = lower.substring(0, lower.length() - 3);
    }
    if (lower.endsWith(".csv") || lower.endsWith(".tsv")) {
      return Optional.of(SourceData.Format.CSV);
    }
    if (lower.endsWith(".parquet")) {
      return Optional.of(SourceData.Format.PARQUET);
    }
    if (lower.endsWith(".json") || lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) {
      return Optional.of(SourceData.Format.JSON);
    }
    return Optional.empty();
  }

  public static String keyword(SourceData.Format format) {
    return format.name().toLowerCase(Locale.ROOT);
  }
}
