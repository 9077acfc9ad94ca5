package dev.conform.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Rows read back from a runtime, with every value rendered as canonical text: numbers without
 * exponent, dates as {@code yyyy-MM-dd}, timestamps as {@code yyyy-MM-dd HH:mm:ss[.fff]}, booleans
 * as {@code true}/{@code false}; a {@code null} cell is SQL NULL.
 */
public record QueryResult(List<Column> columns, List<List<String>> rows) {
  public QueryResult {
    columns = List.copyOf(columns);
    List<List<String>> copy = new ArrayList<>(rows.size());
    for (List<String> row : rows) {
      copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
    }
    rows = Collections.unmodifiableList(copy);
  }
}
