package dev.conform.planner;

import dev.conform.spi.SqlDialect;
import java.util.List;
import java.util.stream.Collectors;

/** Simple read queries over warehouse tables, quoted for a dialect (for {@code conform show}). */
public final class TableQueries {
  private TableQueries() {}

  /** {@code SELECT * FROM table ORDER BY columns...}, identifiers quoted for {@code dialect}. */
  public static String selectAll(SqlDialect dialect, String table, List<String> orderBy) {
    DialectRenderer renderer = new DialectRenderer(dialect);
    String order =
        orderBy.isEmpty()
            ? ""
            : " ORDER BY "
                + orderBy.stream().map(renderer::quote).collect(Collectors.joining(", "));
    return "SELECT * FROM " + renderer.quote(table) + order;
  }

  /** {@code identifier} quoted for {@code dialect}. */
  public static String quote(SqlDialect dialect, String identifier) {
    return new DialectRenderer(dialect).quote(identifier);
  }

  /** The name of a model's reject table. */
  public static String rejectTable(String model) {
    return new ModelTables(model).rejects();
  }
}
