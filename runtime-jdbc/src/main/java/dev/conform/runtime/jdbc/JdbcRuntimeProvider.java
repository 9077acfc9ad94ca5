package dev.conform.runtime.jdbc;

import static java.util.Objects.requireNonNull;

import dev.conform.spi.ConformRuntime;
import dev.conform.spi.RuntimeFailure;
import dev.conform.spi.RuntimeProvider;
import dev.conform.spi.WarehouseConnection;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Provides the {@code jdbc} runtime, which runs plans inside a warehouse reached over JDBC. Found
 * with {@link java.util.ServiceLoader}.
 *
 * <p>Supported connection types: {@code duckdb} (embedded, file or in-memory). Each engine lives
 * behind an internal dialect, so adding one does not change how plans are executed.
 */
public final class JdbcRuntimeProvider implements RuntimeProvider {
  private static final List<EngineDialect> DIALECTS = List.of(new DuckDbDialect());

  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public JdbcRuntimeProvider() {}

  @Override
  public String name() {
    return "jdbc";
  }

  @Override
  public boolean supports(String connectionType) {
    return dialect(connectionType).isPresent();
  }

  /** A DuckDB file in the project, {@code target/warehouse.duckdb}, as when no target is named. */
  @Override
  public Optional<WarehouseConnection> defaultWarehouse(Path projectRoot) {
    return Optional.of(
        new WarehouseConnection(
            "warehouse",
            "duckdb",
            "jdbc:duckdb:" + projectRoot.resolve("target/warehouse.duckdb").normalize(),
            Map.of()));
  }

  /** An in-memory DuckDB database: nothing is written to {@code folder}. */
  @Override
  public WarehouseConnection scratchWarehouse(Path folder) {
    return new WarehouseConnection("scratch", "duckdb", "jdbc:duckdb:", Map.of());
  }

  /**
   * {@inheritDoc}
   *
   * <p>For DuckDB, creates the folder of the database file when missing and applies the
   * connection's properties as DuckDB settings once (see {@code DuckDbSettings}).
   */
  @Override
  public ConformRuntime open(WarehouseConnection connection) {
    requireNonNull(connection, "connection is null");
    EngineDialect dialect =
        dialect(connection.type())
            .orElseThrow(
                () ->
                    new RuntimeFailure(
                        "Cannot open warehouse "
                            + connection
                            + ": the jdbc runtime does not support type '"
                            + connection.type()
                            + "' (supported: "
                            + DIALECTS.stream()
                                .map(EngineDialect::connectionType)
                                .collect(Collectors.joining(", "))
                            + ")",
                        null));
    return new JdbcRuntime(connection, dialect, dialect.open(connection));
  }

  private static Optional<EngineDialect> dialect(String connectionType) {
    if (connectionType == null) {
      return Optional.empty();
    }
    return DIALECTS.stream()
        .filter(d -> d.connectionType().equalsIgnoreCase(connectionType.strip()))
        .findFirst();
  }
}
