package dev.conform.spi;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The format options of a file source, checked once before any file is read: the same option names,
 * aliases, values and messages on every engine. Options are kept by their canonical names ({@code
 * sep} is {@code delimiter}, {@code dateformat} is {@code date_format}, ...).
 */
public final class FileOptions {
  private static final List<String> CSV =
      List.of(
          "header",
          "delimiter",
          "quote",
          "escape",
          "null",
          "skip",
          "comment",
          "encoding",
          "date_format",
          "timestamp_format");
  private static final List<String> JSON = List.of("format", "date_format", "timestamp_format");
  private static final List<String> JSON_FORMATS =
      List.of("auto", "newline_delimited", "array", "unstructured");

  private final Map<String, String> options;
  private final String failurePrefix;
  private final String kind;
  private final boolean header;
  private final long skip;
  private final String jsonFormat;

  private FileOptions(SourceData.Format format, Map<String, String> options, String failurePrefix) {
    this.options = options;
    this.failurePrefix = failurePrefix;
    this.kind = format.name().toLowerCase(Locale.ROOT);
    String headerText = options.getOrDefault("header", "true");
    this.header =
        switch (headerText.strip().toLowerCase(Locale.ROOT)) {
          case "true", "yes", "1" -> true;
          case "false", "no", "0" -> false;
          default -> throw invalid("header", headerText, "use true or false", null);
        };
    String skipText = options.getOrDefault("skip", "0");
    try {
      this.skip = Long.parseLong(skipText.strip());
    } catch (NumberFormatException e) {
      throw invalid("skip", skipText, "use a whole number, 0 or more", e);
    }
    if (skip < 0) {
      throw invalid("skip", skipText, "use a whole number, 0 or more", null);
    }
    String formatText = options.getOrDefault("format", "auto");
    this.jsonFormat = formatText.strip().toLowerCase(Locale.ROOT);
    if (!JSON_FORMATS.contains(jsonFormat)) {
      throw invalid("format", formatText, "use one of " + JSON_FORMATS, null);
    }
  }

  /**
   * Checks that the files exist and their options are known and valid.
   *
   * @param failurePrefix the start of every failure message, e.g. {@code Cannot read source 'x'}
   * @throws RuntimeFailure naming the missing file, or the unknown or invalid option
   */
  public static FileOptions check(SourceData.Files files, String failurePrefix) {
    requireNonNull(files, "files is null");
    requireNonNull(failurePrefix, "failurePrefix is null");
    if (files.paths().isEmpty()) {
      throw new RuntimeFailure(failurePrefix + ": no files given", null);
    }
    for (String path : files.paths()) {
      if (isLocalFile(path) && !Files.exists(Path.of(path))) {
        throw new RuntimeFailure(failurePrefix + ": file not found: " + path, null);
      }
    }
    List<String> known =
        switch (files.format()) {
          case CSV -> CSV;
          case JSON -> JSON;
          case PARQUET -> List.of();
        };
    Map<String, String> options = new LinkedHashMap<>();
    for (Map.Entry<String, String> option : files.options().entrySet()) {
      String key = canonical(option.getKey());
      if (!known.contains(key)) {
        throw new RuntimeFailure(
            failurePrefix
                + ": unknown "
                + files.format().name().toLowerCase(Locale.ROOT)
                + " option '"
                + option.getKey()
                + "'"
                + (known.isEmpty() ? " (this format takes none)" : " (known: " + known + ")"),
            null);
      }
      options.put(key, requireNonNull(option.getValue(), "option value is null"));
    }
    return new FileOptions(files.format(), options, failurePrefix);
  }

  /** An option's value as the spec gives it, by canonical name. */
  public Optional<String> get(String key) {
    return Optional.ofNullable(options.get(key));
  }

  /** Whether a CSV's first line names its columns (default true). */
  public boolean header() {
    return header;
  }

  /** How many lines to skip at the start of a CSV file (default 0). */
  public long skip() {
    return skip;
  }

  /** A JSON file's layout: auto, newline_delimited, array or unstructured (default auto). */
  public String jsonFormat() {
    return jsonFormat;
  }

  /** A failure reading the files: the prefix given to {@link #check}, then {@code detail}. */
  public RuntimeFailure failure(String detail, Throwable cause) {
    return new RuntimeFailure(failurePrefix + ": " + detail, cause);
  }

  /** The failure for option {@code key}'s {@code value}, with a {@code hint} on what to write. */
  public RuntimeFailure invalid(String key, String value, String hint, Throwable cause) {
    return failure(
        "invalid " + kind + " option " + key + ": '" + value + "' (" + hint + ")", cause);
  }

  /** A path on the local disk, not a URL and not a glob. */
  public static boolean isLocalFile(String path) {
    return !path.contains("://") && path.chars().noneMatch(c -> c == '*' || c == '?' || c == '[');
  }

  private static String canonical(String key) {
    String k = key.strip().toLowerCase(Locale.ROOT).replace('-', '_');
    return switch (k) {
      case "delim", "sep", "separator" -> "delimiter";
      case "nullstr", "null_string" -> "null";
      case "dateformat" -> "date_format";
      case "timestampformat" -> "timestamp_format";
      default -> k;
    };
  }
}
