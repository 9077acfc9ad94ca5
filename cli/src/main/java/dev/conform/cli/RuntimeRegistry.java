package dev.conform.cli;

import dev.conform.spi.ConformRuntime;
import dev.conform.spi.RuntimeFailure;
import dev.conform.spi.RuntimeProvider;
import dev.conform.spi.WarehouseConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** The runtimes on the class path, found with {@link ServiceLoader}. */
final class RuntimeRegistry {
  private final List<RuntimeProvider> providers = new ArrayList<>();

  RuntimeRegistry() {
    ServiceLoader.load(RuntimeProvider.class).forEach(providers::add);
  }

  List<String> names() {
    return providers.stream().map(RuntimeProvider::name).sorted().toList();
  }

  /**
   * Opens runtime {@code name} on the warehouse.
   *
   * @throws UserException when no such runtime exists or it cannot use the warehouse
   */
  ConformRuntime open(String name, WarehouseConnection warehouse) {
    RuntimeProvider provider =
        providers.stream()
            .filter(p -> p.name().equals(name))
            .findFirst()
            .orElseThrow(
                () ->
                    new UserException(
                        ExitCode.RUN_FAILED,
                        "Unknown runtime '"
                            + name
                            + "'; the runtimes available are: "
                            + String.join(", ", names())));
    if (!provider.supports(warehouse.type())) {
      throw new UserException(
          ExitCode.RUN_FAILED,
          "Cannot use the "
              + name
              + " runtime with "
              + warehouse
              + ": it does not support warehouses of type '"
              + warehouse.type()
              + "'");
    }
    try {
      return provider.open(warehouse);
    } catch (RuntimeFailure e) {
      throw new UserException(ExitCode.RUN_FAILED, e.getMessage());
    }
  }
}
