package dev.conform.cli;

import dev.conform.dsl.DeleteMode;
import dev.conform.dsl.DimensionSpec;
import dev.conform.dsl.SourceSpec;
import dev.conform.spi.Column;
import dev.conform.spi.SourceData;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Checks a project's specs and binds every model against its source's columns. */
@Command(
    name = "validate",
    description =
        "Check the specs: syntax, names, types. Sources without declared columns are read to"
            + " learn them.")
final class ValidateCommand implements Callable<Integer> {
  @Mixin ProjectOption project;

  @Option(names = "--runtime", description = "The runtime that reads undeclared source columns.")
  Optional<String> runtime;

  private final Printer printer;
  private final RuntimeRegistry runtimes;

  @Inject
  ValidateCommand(Printer printer, RuntimeRegistry runtimes) {
    this.printer = printer;
    this.runtimes = runtimes;
  }

  @Override
  public Integer call() {
    ProjectContext context = ProjectContext.load(project.project, printer);
    ModelBinder binder = new ModelBinder(printer);
    try (LazyScratch engine = new LazyScratch(runtimes, context.runtimeName(runtime, runtimes))) {
      for (DimensionSpec dimension : context.spec().dimensions()) {
        SourceSpec source = context.source(dimension.from().name());
        if (SourceCapture.captures(source)) {
          // Read the table even when the spec declares its columns: they, and the columns its
          // change capture reads, must exist there.
          List<Column> columns =
              SourceCapture.describing(context, dimension, source, printer).describeOrFail();
          binder.bind(dimension, source, () -> columns);
        } else {
          binder.bind(dimension, source, () -> sample(context, source), engine);
        }
        // A table source without delete_when is warned about where the spec declares it.
        if (dimension.scd().deletes() != DeleteMode.IGNORE
            && source.deletes().isEmpty()
            && !source.isTable()) {
          printer.note(
              dimension.position()
                  + ": note: dimension '"
                  + dimension.name().name()
                  + "' will see no deletes: source '"
                  + source.name().name()
                  + "' has no delete_when");
        }
      }
    }
    printer.line(
        "ok: "
            + context.spec().sources().size()
            + " source(s), "
            + context.spec().dimensions().size()
            + " dimension(s), "
            + context.spec().tests().size()
            + " test(s)");
    return ExitCode.OK;
  }

  private static SourceData sample(ProjectContext context, SourceSpec source) {
    var files = SourceFiles.list(context.folder(source), source.path().orElseThrow());
    if (files.isEmpty()) {
      throw new UserException(
          ExitCode.SPEC_ERRORS,
          source.position()
              + ": error UNREADABLE_SOURCE: source '"
              + source.name().name()
              + "' declares no columns and no file matches '"
              + source.path().orElseThrow()
              + "' in "
              + context.folder(source)
              + "; declare its columns or add a file");
    }
    return ProjectRunner.files(source, List.of(files.get(0)));
  }
}
