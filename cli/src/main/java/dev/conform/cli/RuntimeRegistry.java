package dev.conform.cli;

import dev.conform.dsl.Suggestions;
import dev.conform.spi.ConformRuntime;
import dev.conform.spi.RuntimeFailure;
import dev.conform.spi.RuntimeProvider;
import dev.conform.spi.WarehouseConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/** The runtimes on the class path, found with {@link ServiceLoader}. */
final class RuntimeRegistry {
  private static final String DEFAULT = "jdbc";
  private final List<RuntimeProvider> providers = new ArrayList<>();

  RuntimeRegistry() {
    ServiceLoader.load(RuntimeProvider.class).forEach(providers::add);
  }

  List<String> names() {
    return providers.stream().map(RuntimeProvider::name).sorted().toList();
  }

  /**
   * The runtime of a project that names none: {@code jdbc} (embedded DuckDB) when it is at hand,
   * else the only one there is (the Spark jar holds only the Spark runtime).
   */
  String defaultName() {
    List<String> names = names();
    if (names.contains(DEFAULT) || names.size() != 1) {
      return DEFAULT;
    }
    return names.get(0);
  }

  /**
   * The warehouse runtime {@code name} uses in {@code project}: the project's target when the
   * runtime can use it, else the first connection it can use, else the runtime's own default (the
   * Spark runtime's is a folder in the project). So one project runs on several runtimes unchanged.
   *
   * @throws UserException when there is none
   */
  WarehouseConnection warehouse(String name, ProjectContext project) {
    RuntimeProvider provider = provider(name);
    return project
        .warehouse(provider::supports)
        .or(() -> provider.defaultWarehouse(project.root()))
        .orElseThrow(
            () -> {
              WarehouseConnection target = project.target();
              List<String> others = names().stream().filter(n -> !n.equals(name)).toList();
              return new UserException(
                  ExitCode.RUN_FAILED,
                  "Cannot use the "
                      + name
                      + " runtime with "
                      + target
                      + ": it does not support warehouses of type '"
                      + target.type()
                      + "' and the project has no connection it supports; set target: to one"
                      + (others.isEmpty()
                          ? ""
                          : ", or choose another runtime (" + String.join(", ", others) + ")"));
            });
  }

  /**
   * Opens runtime {@code name} on a warehouse it supports (see {@link #warehouse}).
   *
   * @throws UserException when no such runtime exists or the warehouse cannot be reached
   */
  ConformRuntime open(String name, WarehouseConnection warehouse) {
    try {
      return provider(name).open(warehouse);
    } catch (RuntimeFailure e) {
      throw new UserException(ExitCode.RUN_FAILED, e.getMessage());
    }
  }

  /**
   * Opens runtime {@code name} on a throwaway warehouse, for describing files and running spec
   * tests; closing it closes the runtime and deletes what the warehouse wrote.
   */
  Scratch openScratch(String name) {
    RuntimeProvider provider = provider(name);
    Path folder;
    try {
      folder = Files.createTempDirectory("conform-scratch-");
    } catch (IOException e) {
      throw new UserException(
          ExitCode.RUN_FAILED, "Cannot create a scratch folder for the " + name + " runtime: " + e);
    }
    try {
      return new Scratch(open(name, provider.scratchWarehouse(folder)), folder);
    } catch (RuntimeException e) {
      Scratch.delete(folder);
      throw e;
    }
  }

  /** A runtime on a throwaway warehouse in {@code folder}. */
  record Scratch(ConformRuntime runtime, Path folder) implements AutoCloseable {
    @Override
    public void close() {
      try {
        runtime.close();
      } finally {
        delete(folder);
      }
    }

    private static void delete(Path folder) {
      try (Stream<Path> paths = Files.walk(folder)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // A scratch folder in the temporary directory: the system cleans it up eventually.
      }
    }
  }

  private RuntimeProvider provider(String name) {
    return providers.stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new UserException(
                    ExitCode.USAGE,
                    "Unknown runtime '"
                        + name
                        + "'"
                        + Suggestions.closest(name, names())
                            .map(s -> "; did you mean '" + s + "'?")
                            .orElse(
                                "; the runtimes available are: " + String.join(", ", names()))));
  }
}
