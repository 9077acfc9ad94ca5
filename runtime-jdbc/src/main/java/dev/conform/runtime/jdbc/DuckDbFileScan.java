package dev.conform.runtime.jdbc;

import static java.util.Objects.requireNonNull;

import dev.conform.spi.RuntimeFailure;
import dev.conform.spi.SourceData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A DuckDB table function call ({@code read_csv}, {@code read_parquet}, {@code read_json}) that
 * reads a source's files natively, with the spec's format options checked and translated.
 */
final class DuckDbFileScan {
  /** The column DuckDB fills with the path of the file each row came from. */
  static final String FILE_COLUMN = "_conform_file";

  private static final List<String> CSV_OPTIONS =
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
  private static final List<String> JSON_OPTIONS =
      List.of("format", "date_format", "timestamp_format");

  private final SourceData.Files files;
  private final Map<String, String> options;
  private final String failurePrefix;

  private DuckDbFileScan(SourceData.Files files, Map<String, String> options, String prefix) {
    this.files = files;
    this.options = options;
    this.failurePrefix = prefix;
  }

  /**
   * Checks the files exist and the options are known.
   *
   * @param failurePrefix the start of every failure message, e.g. {@code Cannot read source 'x'}
   */
  static DuckDbFileScan of(SourceData.Files files, String failurePrefix) {
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
          case CSV -> CSV_OPTIONS;
          case JSON -> JSON_OPTIONS;
          case PARQUET -> List.of();
        };
    Map<String, String> options = new LinkedHashMap<>();
    for (Map.Entry<String, String> option : files.options().entrySet()) {
      String key = canonicalOption(option.getKey());
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
    return new DuckDbFileScan(files, options, failurePrefix);
  }

  private static String canonicalOption(String key) {
    String k = key.strip().toLowerCase(Locale.ROOT).replace('-', '_');
    return switch (k) {
      case "delim", "sep", "separator" -> "delimiter";
      case "nullstr", "null_string" -> "null";
      case "dateformat" -> "date_format";
      case "timestampformat" -> "timestamp_format";
      default -> k;
    };
  }

  private static boolean isLocalFile(String path) {
    return !path.contains("://") && path.chars().noneMatch(c -> c == '*' || c == '?' || c == '[');
  }

  SourceData.Format format() {
    return files.format();
  }

  List<String> paths() {
    return files.paths();
  }

  /** The first file, as a scan of its own: used to name the file a problem is in. */
  DuckDbFileScan onlyFile(String path) {
    return new DuckDbFileScan(
        new SourceData.Files(files.format(), List.of(path), files.options()),
        options,
        failurePrefix);
  }

  /** A format option such as {@code date_format}, when the spec gives it. */
  Optional<String> option(String key) {
    return Optional.ofNullable(options.get(key));
  }

  /** Whether a CSV's first line names its columns (default true). */
  boolean hasHeader() {
    String value = options.getOrDefault("header", "true").strip().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default ->
          throw new RuntimeFailure(
              failurePrefix
                  + ": invalid csv option header: '"
                  + options.get("header")
                  + "' (use true or false)",
              null);
    };
  }

  /** A failure for this scan's source with the given detail. */
  RuntimeFailure failure(String detail, Throwable cause) {
    return new RuntimeFailure(failurePrefix + ": " + detail, cause);
  }

  /**
   * The scan that shows the engine's own reading of the files: types detected by DuckDB, no file
   * name column. Used to describe a source.
   */
  String detectingScan() {
    return switch (files.format()) {
      case CSV -> csvScan(false, List.of(), false);
      case PARQUET -> "read_parquet(" + pathList() + ")";
      case JSON -> "read_json(" + pathList() + jsonFormat() + ")";
    };
  }

  /**
   * The scan a load reads from. CSV columns are all text ({@code headerlessNames} names the columns
   * of a CSV without header, by position); Parquet keeps its types; JSON reads the requested keys
   * as text. Each row carries the path of its file in {@link #FILE_COLUMN}.
   */
  String loadingScan(List<String> headerlessNames, List<String> jsonTextKeys) {
    return switch (files.format()) {
      case CSV -> csvScan(true, headerlessNames, true);
      case PARQUET -> "read_parquet(" + pathList() + ", " + fileNameOption() + ")";
      case JSON ->
          "read_json("
              + pathList()
              + jsonFormat()
              + ", columns={"
              + jsonTextKeys.stream()
                  .map(key -> SqlText.literal(key) + ": 'VARCHAR'")
                  .collect(Collectors.joining(", "))
              + "}, "
              + fileNameOption()
              + ")";
    };
  }

  /** The scan of a CSV's columns as text, without reading the data: for checking columns. */
  String textColumnsScan(List<String> headerlessNames) {
    return csvScan(true, headerlessNames, false);
  }

  private String csvScan(boolean allText, List<String> headerlessNames, boolean withFileName) {
    List<String> arguments = new ArrayList<>();
    arguments.add(pathList());
    if (allText) {
      arguments.add("all_varchar=true");
    }
    boolean header = hasHeader();
    arguments.add("header=" + header);
    if (!header && !headerlessNames.isEmpty()) {
      arguments.add(
          "names=["
              + headerlessNames.stream().map(SqlText::literal).collect(Collectors.joining(", "))
              + "]");
    }
    option("delimiter").ifPresent(v -> arguments.add("delim=" + SqlText.literal(v)));
    option("quote").ifPresent(v -> arguments.add("quote=" + SqlText.literal(v)));
    option("escape").ifPresent(v -> arguments.add("escape=" + SqlText.literal(v)));
    option("null").ifPresent(v -> arguments.add("nullstr=" + SqlText.literal(v)));
    option("comment").ifPresent(v -> arguments.add("comment=" + SqlText.literal(v)));
    option("encoding").ifPresent(v -> arguments.add("encoding=" + SqlText.literal(v)));
    option("skip").ifPresent(v -> arguments.add("skip=" + integerOption("skip", v)));
    if (withFileName) {
      arguments.add(fileNameOption());
    }
    return "read_csv(" + String.join(", ", arguments) + ")";
  }

  private long integerOption(String key, String value) {
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw failure("invalid csv option " + key + ": '" + value + "' (use a whole number)", e);
    }
  }

  private String jsonFormat() {
    return ", format=" + SqlText.literal(option("format").orElse("auto"));
  }

  private static String fileNameOption() {
    return "filename=" + SqlText.literal(FILE_COLUMN);
  }

  private String pathList() {
    return "["
        + files.paths().stream().map(SqlText::literal).collect(Collectors.joining(", "))
        + "]";
  }
}
