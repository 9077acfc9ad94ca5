package dev.conform.cli;

import dev.conform.dsl.ConnectionSpec;
import dev.conform.dsl.Diagnostic;
import dev.conform.dsl.DimensionSpec;
import dev.conform.dsl.LoadedProject;
import dev.conform.dsl.ProjectLoader;
import dev.conform.dsl.ProjectSpec;
import dev.conform.dsl.SourceSpec;
import dev.conform.spi.WarehouseConnection;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** A loaded, valid project and what follows from it: connections, folders, models. */
final class ProjectContext {
  private final ProjectSpec spec;
  private final Path root;
  private final Secrets secrets;

  private ProjectContext(ProjectSpec spec, Path root, Secrets secrets) {
    this.spec = spec;
    this.root = root;
    this.secrets = secrets;
  }

  /**
   * Loads the project at {@code root}, printing its diagnostics.
   *
   * @throws UserException when the specs have errors
   */
  static ProjectContext load(Path root, Printer printer) {
    Path absolute = root.toAbsolutePath().normalize();
    LoadedProject loaded = ProjectLoader.load(absolute);
    printer.diagnostics(loaded.diagnostics());
    if (loaded.hasErrors()) {
      long errors = loaded.diagnostics().stream().filter(Diagnostic::isError).count();
      throw new UserException(
          ExitCode.SPEC_ERRORS,
          errors + " error" + (errors == 1 ? "" : "s") + " in the project's specs");
    }
    return new ProjectContext(loaded.project().orElseThrow(), absolute, Secrets.fromSystem());
  }

  ProjectSpec spec() {
    return spec;
  }

  Path root() {
    return root;
  }

  Optional<DimensionSpec> dimension(String name) {
    return spec.dimensions().stream().filter(d -> d.name().name().equals(name)).findFirst();
  }

  /** The source named on the command line; a usage error, with the closest name, when none is. */
  SourceSpec requireSource(String name) {
    List<String> known = spec.sources().stream().map(s -> s.name().name()).toList();
    if (!known.contains(name)) {
      throw unknown("source", name, known);
    }
    return source(name);
  }

  /** "Unknown model 'x'; did you mean 'y'?", or the names there are. */
  private static UserException unknown(String what, String name, List<String> known) {
    return new UserException(
        ExitCode.USAGE,
        "Unknown "
            + what
            + " '"
            + name
            + "'"
            + dev.conform.dsl.Suggestions.closest(name, known)
                .map(s -> "; did you mean '" + s + "'?")
                .orElse(
                    known.isEmpty()
                        ? "; the project has no " + what + "s"
                        : "; the project's " + what + "s are " + String.join(", ", known)));
  }

  SourceSpec source(String name) {
    return spec.sources().stream()
        .filter(s -> s.name().name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("Bug: validated source missing: " + name));
  }

  /** The dimensions named, in project order, or all of them when none are named. */
  List<DimensionSpec> selectDimensions(List<String> names) {
    if (names.isEmpty()) {
      return spec.dimensions();
    }
    List<String> known = spec.dimensions().stream().map(d -> d.name().name()).toList();
    for (String name : names) {
      if (!known.contains(name)) {
        throw unknown("model", name, known);
      }
    }
    return spec.dimensions().stream().filter(d -> names.contains(d.name().name())).toList();
  }

  ConnectionSpec connection(String name) {
    return spec.connections().stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("Bug: validated connection missing: " + name));
  }

  /** The folder a files connection reads, resolved against the project root. */
  Path folder(SourceSpec source) {
    ConnectionSpec connection = connection(source.connection().name());
    String path =
        secrets.resolve(
            connection.path().orElse("."), "connection '" + connection.name() + "' path");
    return root.resolve(path).normalize();
  }

  /** The database a table source reads, with secrets resolved. */
  WarehouseConnection database(SourceSpec source) {
    return warehouse(connection(source.connection().name()));
  }

  /** The project's target connection, with secrets resolved and relative paths made absolute. */
  WarehouseConnection target() {
    return warehouse(connection(spec.target().name()));
  }

  /**
   * The project's target when {@code usable} accepts its type, else the first connection whose type
   * it accepts, else empty.
   */
  Optional<WarehouseConnection> warehouse(Predicate<String> usable) {
    ConnectionSpec target = connection(spec.target().name());
    if (usable.test(target.type())) {
      return Optional.of(warehouse(target));
    }
    return spec.connections().stream()
        .filter(c -> usable.test(c.type()))
        .findFirst()
        .map(this::warehouse);
  }

  private WarehouseConnection warehouse(ConnectionSpec connection) {
    String type = connection.type().toLowerCase(Locale.ROOT);
    String where = "connection '" + connection.name() + "'";
    String url;
    if (connection.url().isPresent()) {
      url = secrets.resolve(connection.url().get(), where + " url");
    } else if (type.equals("duckdb")) {
      String path = secrets.resolve(connection.path().orElse("target/warehouse.duckdb"), where);
      url =
          path.equals(":memory:")
              ? "jdbc:duckdb:"
              : "jdbc:duckdb:" + root.resolve(path).normalize();
    } else if (connection.path().isPresent()) {
      // A warehouse that is a folder (Spark's): its absolute path.
      url = root.resolve(secrets.resolve(connection.path().get(), where)).normalize().toString();
    } else {
      throw new UserException(
          ExitCode.RUN_FAILED,
          "Cannot connect to "
              + where
              + ": it has neither url nor path; add url: jdbc:"
              + type
              + "://..., or path: for a folder");
    }
    Map<String, String> properties = new LinkedHashMap<>();
    connection
        .properties()
        .forEach((k, v) -> properties.put(k, secrets.resolve(v, where + " " + k)));
    return new WarehouseConnection(connection.name(), type, url, properties);
  }

  /**
   * The runtime to use: the command line's choice, else the project's, else the default of the
   * runtimes at hand (see {@link RuntimeRegistry#defaultName}).
   */
  String runtimeName(Optional<String> override, RuntimeRegistry runtimes) {
    return override.or(spec::runtime).orElseGet(runtimes::defaultName);
  }
}
