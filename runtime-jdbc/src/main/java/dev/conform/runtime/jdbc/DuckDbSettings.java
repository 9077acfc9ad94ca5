package dev.conform.runtime.jdbc;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The DuckDB settings a runtime applies once when it opens: Conform's defaults, overridden by the
 * warehouse connection's properties. Property names are DuckDB setting names, in lower-kebab or
 * snake case ({@code memory-limit} or {@code memory_limit}); values are passed as text.
 *
 * <p>Defaults: {@code preserve_insertion_order=false} (lets DuckDB load and sort large inputs in
 * less memory; Conform never relies on insertion order) and, for a database file, {@code
 * temp_directory} next to it ({@code <file>.tmp}) so spills stay on the warehouse's disk. {@code
 * threads} and {@code memory_limit} keep DuckDB's defaults (all cores, 80% of RAM) unless given.
 */
record DuckDbSettings(Map<String, String> values) {
  /** Properties that configure the JDBC login, not the engine. */
  private static final Set<String> LOGIN_PROPERTIES = Set.of("user", "password");

  DuckDbSettings {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  static DuckDbSettings of(Optional<Path> databaseFile, Map<String, String> properties) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("preserve_insertion_order", "false");
    databaseFile.ifPresent(
        file ->
            values.put(
                "temp_directory", file.resolveSibling(file.getFileName() + ".tmp").toString()));
    for (Map.Entry<String, String> property : properties.entrySet()) {
      String name = property.getKey().strip().toLowerCase(Locale.ROOT).replace('-', '_');
      if (!LOGIN_PROPERTIES.contains(name)) {
        values.put(name, property.getValue());
      }
    }
    return new DuckDbSettings(values);
  }
}
