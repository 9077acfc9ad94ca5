package dev.conform.runtime.jdbc;

import dev.conform.spi.FileOptions;
import dev.conform.spi.RuntimeFailure;
import dev.conform.spi.SourceData;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A DuckDB table function call ({@code read_csv}, {@code read_parquet}, {@code read_json}) that
 * reads a source's files natively, with the spec's format options checked and translated.
 */
final class DuckDbFileScan {
  /** The column DuckDB fills with the path of the file each row came from. */
  static final String FILE_COLUMN = "_conform_file";

  private final SourceData.Files files;
  private final FileOptions options;

  private DuckDbFileScan(SourceData.Files files, FileOptions options) {
    this.files = files;
    this.options = options;
  }

  /**
   * Checks the files exist and the options are known and valid.
   *
   * @param failurePrefix the start of every failure message, e.g. {@code Cannot read source 'x'}
   */
  static DuckDbFileScan of(SourceData.Files files, String failurePrefix) {
    return new DuckDbFileScan(files, FileOptions.check(files, failurePrefix));
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
        new SourceData.Files(files.format(), List.of(path), files.options()), options);
  }

  /** A format option such as {@code date_format}, when the spec gives it. */
  Optional<String> option(String key) {
    return options.get(key);
  }

  /** Whether a CSV's first line names its columns (default true). */
  boolean hasHeader() {
    return options.header();
  }

  RuntimeFailure failure(String detail, Throwable cause) {
    return options.failure(detail, cause);
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
    option("skip").ifPresent(v -> arguments.add("skip=" + options.skip()));
    if (withFileName) {
      arguments.add(fileNameOption());
    }
    return "read_csv(" + String.join(", ", arguments) + ")";
  }

  private String jsonFormat() {
    return ", format=" + SqlText.literal(options.jsonFormat());
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
