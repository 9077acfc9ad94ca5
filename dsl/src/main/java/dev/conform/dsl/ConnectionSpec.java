package dev.conform.dsl;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A named connection from {@code conform.yaml}. {@code type} is {@code files} (a folder of
 * CSV/Parquet/JSON files, {@code path}), {@code duckdb} ({@code path}, a database file, or {@code
 * :memory:}), or a JDBC database ({@code postgresql}, {@code mysql}, {@code mariadb}, {@code h2}:
 * {@code url}). Other keys (user, password, ...) are kept in {@code properties} in order, with
 * {@code ${env:NAME}} references unresolved.
 */
public record ConnectionSpec(
    String name,
    String type,
    Optional<String> path,
    Optional<String> url,
    Map<String, String> properties,
    Position position) {
  public ConnectionSpec {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    requireNonNull(path, "path is null");
    requireNonNull(url, "url is null");
    properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    requireNonNull(position, "position is null");
  }
}
