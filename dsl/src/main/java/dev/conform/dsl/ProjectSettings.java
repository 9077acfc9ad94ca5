package dev.conform.dsl;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * The settings of {@code conform.yaml}: project name, runtime, target, connections and the folders
 * that hold spec files, with the problems found reading them.
 */
public record ProjectSettings(
    String name,
    Optional<String> runtime,
    Named target,
    List<ConnectionSpec> connections,
    List<Named> specPaths,
    Position position,
    List<Diagnostic> diagnostics) {
  public static final String FILE_NAME = "conform.yaml";
  public static final String DEFAULT_TARGET = "warehouse";
  public static final List<String> CONNECTION_TYPES =
      List.of("files", "duckdb", "postgresql", "mysql", "mariadb", "h2", "spark");

  public ProjectSettings {
    requireNonNull(name, "name is null");
    requireNonNull(runtime, "runtime is null");
    requireNonNull(target, "target is null");
    connections = List.copyOf(connections);
    specPaths = List.copyOf(specPaths);
    requireNonNull(position, "position is null");
    diagnostics = List.copyOf(diagnostics);
  }

  /** The warehouse used when {@code conform.yaml} names none: a DuckDB file under target/. */
  public static ConnectionSpec defaultWarehouse() {
    return new ConnectionSpec(
        DEFAULT_TARGET,
        "duckdb",
        Optional.of("target/warehouse.duckdb"),
        Optional.empty(),
        java.util.Map.of(),
        Position.NONE);
  }
}
