package dev.conform.spi;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Creates runtimes of one kind; found with {@link java.util.ServiceLoader}. Adding a runtime needs
 * only a module with an implementation and a {@code META-INF/services} entry.
 */
public interface RuntimeProvider {

  /** The name users write in {@code runtime:} or {@code --runtime}, e.g. {@code jdbc}. */
  String name();

  /** True when this runtime can use the given warehouse connection type (e.g. {@code duckdb}). */
  boolean supports(String connectionType);

  /**
   * The warehouse this runtime uses in a project that names none of a type it supports, e.g. a
   * folder in the project; empty when it needs one named.
   */
  default Optional<WarehouseConnection> defaultWarehouse(Path projectRoot) {
    return Optional.empty();
  }

  /**
   * A throwaway warehouse in {@code folder} (an empty folder the caller deletes afterwards), for
   * describing files and running spec tests.
   */
  WarehouseConnection scratchWarehouse(Path folder);

  /**
   * Opens a runtime on the warehouse.
   *
   * @throws RuntimeFailure when the warehouse cannot be reached; the message names the connection
   *     without secrets
   */
  ConformRuntime open(WarehouseConnection connection);
}
