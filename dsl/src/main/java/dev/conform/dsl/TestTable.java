package dev.conform.dsl;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Rows in a spec test: either inline ({@code columns} and {@code rows}, cells as text, {@code null}
 * for SQL NULL) or a CSV file with a header ({@code file}, relative to the spec file's folder).
 */
public record TestTable(
    List<String> columns, List<List<String>> rows, Optional<String> file, Position position) {
  public TestTable {
    columns = List.copyOf(columns);
    List<List<String>> copy = new ArrayList<>();
    for (List<String> row : rows) {
      copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
    }
    rows = Collections.unmodifiableList(copy);
    requireNonNull(file, "file is null");
    requireNonNull(position, "position is null");
  }
}
