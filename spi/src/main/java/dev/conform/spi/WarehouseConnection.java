package dev.conform.spi;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to reach the warehouse: a connection type ({@code duckdb}, {@code postgresql}, {@code mysql},
 * {@code mariadb}, {@code h2}), a JDBC URL, and extra properties (user, password), with secrets
 * already substituted. {@link #toString()} never shows property values.
 */
public record WarehouseConnection(
    String name, String type, String url, Map<String, String> properties) {
  public WarehouseConnection {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    requireNonNull(url, "url is null");
    properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
  }

  @Override
  public String toString() {
    return "connection '"
        + name
        + "' ("
        + type
        + ", "
        + url.replaceAll("password=[^&;]*", "password=***")
        + ")";
  }
}
