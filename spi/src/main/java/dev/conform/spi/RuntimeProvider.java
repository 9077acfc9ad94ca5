package dev.conform.spi;

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
   * Opens a runtime on the warehouse.
   *
   * @throws RuntimeFailure when the warehouse cannot be reached; the message names the connection
   *     without secrets
   */
  ConformRuntime open(WarehouseConnection connection);
}
