package dev.conform.cdc;

import static java.util.Objects.requireNonNull;

import dev.conform.spi.Column;
import dev.conform.spi.WarehouseConnection;
import java.util.List;

/**
 * A database table a source reads: the source's name (for messages), the connection, the table as
 * written in the spec ({@code customers} or {@code schema.customers}, matched regardless of case),
 * and the spec's declared columns (empty: all of the table's, with the types its metadata gives).
 */
public record SourceRequest(
    String source, WarehouseConnection connection, String table, List<Column> declared) {
  public SourceRequest {
    requireNonNull(source, "source is null");
    requireNonNull(connection, "connection is null");
    requireNonNull(table, "table is null");
    declared = List.copyOf(declared);
  }

  /** "source 'crm.customers' (table 'customers' through connection 'crm' (postgresql, url))". */
  String describe() {
    return "source '" + source + "' (table '" + table + "' through " + connection + ")";
  }
}
