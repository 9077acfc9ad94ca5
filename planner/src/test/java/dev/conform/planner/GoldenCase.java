package dev.conform.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conform.dsl.Diagnostic;
import dev.conform.dsl.DimensionSpec;
import dev.conform.dsl.LoadedProject;
import dev.conform.dsl.ProjectLoader;
import dev.conform.dsl.ProjectSpec;
import dev.conform.dsl.SourceSpec;
import dev.conform.spi.Column;
import dev.conform.spi.SourceData;
import dev.conform.spi.SqlDialect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One folder under {@code src/test/resources/golden/}: a project ({@code conform.yaml} and {@code
 * spec.yaml}) whose dimensions are bound with their sources' declared columns.
 */
record GoldenCase(String name, Path folder, ProjectSpec project, List<BoundDimension> dimensions) {
  static final Path ROOT = Path.of("src/test/resources/golden");

  GoldenCase {
    dimensions = List.copyOf(dimensions);
  }

  /** Every case folder, sorted by name. */
  static List<GoldenCase> all() {
    List<Path> folders;
    try (Stream<Path> list = Files.list(ROOT)) {
      folders = list.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the golden cases in " + ROOT, e);
    }
    assertThat(folders).as("golden cases in %s", ROOT).isNotEmpty();
    return folders.stream().map(GoldenCase::load).toList();
  }

  static GoldenCase named(String name) {
    return load(ROOT.resolve(name));
  }

  static GoldenCase load(Path folder) {
    LoadedProject loaded = ProjectLoader.load(folder);
    assertThat(loaded.hasErrors())
        .as(
            "errors in golden case %s:%n%s",
            folder,
            loaded.diagnostics().stream().map(Diagnostic::format).collect(Collectors.joining("\n")))
        .isFalse();
    ProjectSpec project = loaded.orThrow();
    Binder binder = new Binder();
    List<BoundDimension> dimensions =
        project.dimensions().stream()
            .map(d -> binder.bind(d, source(project, d), declaredColumns(source(project, d))))
            .toList();
    return new GoldenCase(folder.getFileName().toString(), folder, project, dimensions);
  }

  private static SourceSpec source(ProjectSpec project, DimensionSpec dimension) {
    return project.sources().stream()
        .filter(s -> s.name().name().equals(dimension.from().name()))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("Cannot find source '" + dimension.from().name() + "'"));
  }

  static List<Column> declaredColumns(SourceSpec source) {
    return source.columns().stream().map(c -> Column.of(c.name(), c.type())).toList();
  }

  /** The one dimension of this case called {@code model}. */
  BoundDimension dimension(String model) {
    return dimensions.stream()
        .filter(d -> d.name().equals(model))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("Golden case " + name + " has no dimension '" + model + "'"));
  }

  /** Plans every dimension of the case for {@code dialect}, incrementally, as run 1. */
  List<PlannedModel> plan(SqlDialect dialect, Function<BoundDimension, SourceData> data) {
    return plan(dialect, data, Planner.Start.INCREMENTAL);
  }

  /** Plans every dimension of the case for {@code dialect}, as run 1 starting as {@code start}. */
  List<PlannedModel> plan(
      SqlDialect dialect, Function<BoundDimension, SourceData> data, Planner.Start start) {
    Planner planner = new Planner();
    return dimensions.stream()
        .map(d -> planner.plan(new Planner.ModelRequest(d, data.apply(d)), dialect, 1, start))
        .toList();
  }

  /** The data every golden plan reads: {@code /data/<source>.csv}. */
  static SourceData goldenData(BoundDimension dimension) {
    return new SourceData.Files(
        SourceData.Format.CSV,
        List.of("/data/" + dimension.source().name().name() + ".csv"),
        Map.of());
  }

  @Override
  public String toString() {
    return name;
  }
}
