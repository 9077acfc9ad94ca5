package dev.conform.runtime.spark;

import static java.util.Objects.requireNonNull;

import dev.conform.spi.ConformRuntime;
import dev.conform.spi.RuntimeProvider;
import dev.conform.spi.WarehouseConnection;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Provides the {@code spark} runtime: plans run on Spark ({@code local[*]} unless {@code
 * spark.master} says otherwise), targets are Iceberg tables in a warehouse folder. Found with
 * {@link java.util.ServiceLoader}.
 *
 * <p>A warehouse connection of type {@code spark} names the folder in its {@code path}, or any
 * location Iceberg's hadoop catalog takes ({@code hdfs://...}) in its {@code url}, and passes its
 * {@code spark.*} properties to the session. A project without one gets {@value #DEFAULT_FOLDER} in
 * the project.
 */
public final class SparkRuntimeProvider implements RuntimeProvider {
  static final String TYPE = "spark";
  static final String DEFAULT_FOLDER = "target/spark-warehouse";

  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public SparkRuntimeProvider() {}

  @Override
  public String name() {
    return "spark";
  }

  @Override
  public boolean supports(String connectionType) {
    return connectionType != null && connectionType.strip().equalsIgnoreCase(TYPE);
  }

  @Override
  public Optional<WarehouseConnection> defaultWarehouse(Path projectRoot) {
    return Optional.of(
        new WarehouseConnection(
            TYPE, TYPE, projectRoot.resolve(DEFAULT_FOLDER).normalize().toString(), Map.of()));
  }

  @Override
  public WarehouseConnection scratchWarehouse(Path folder) {
    return new WarehouseConnection("scratch", TYPE, folder.toString(), Map.of());
  }

  @Override
  public ConformRuntime open(WarehouseConnection connection) {
    requireNonNull(connection, "connection is null");
    return new SparkRuntime(connection, SparkSessions.forWarehouse(connection));
  }
}
