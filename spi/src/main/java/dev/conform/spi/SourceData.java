package dev.conform.spi;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where the rows of one source load come from: files on disk, or rows written inline in a test. */
public sealed interface SourceData {

  /** The file formats runtimes read. */
  enum Format {
    CSV,
    PARQUET,
    JSON
  }

  /**
   * Files to read, all of one format. Paths are absolute and in a defined order. Options are the
   * spec's format options (e.g. {@code delimiter}, {@code header}), in declaration order.
   */
  record Files(Format format, List<String> paths, Map<String, String> options)
      implements SourceData {
    public Files {
      requireNonNull(format, "format is null");
      paths = List.copyOf(paths);
      options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }
  }

  /**
   * Rows given as text, as a spec test writes them; a {@code null} cell is SQL NULL. Each row has
   * one cell per name in {@code columns}.
   */
  record InlineRows(List<String> columns, List<List<String>> rows) implements SourceData {
    public InlineRows {
      columns = List.copyOf(columns);
      List<List<String>> copy = new ArrayList<>(rows.size());
      for (List<String> row : rows) {
        if (row.size() != columns.size()) {
          throw new IllegalArgumentException(
              "Invalid inline row: " + row.size() + " cells for " + columns.size() + " columns");
        }
        copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
      }
      rows = Collections.unmodifiableList(copy);
    }
  }
}
