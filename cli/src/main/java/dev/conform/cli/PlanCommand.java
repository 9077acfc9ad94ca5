package dev.conform.cli;

import dev.conform.catalog.FileStamp;
import dev.conform.dsl.DimensionSpec;
import dev.conform.dsl.SourceSpec;
import dev.conform.planner.BoundDimension;
import dev.conform.planner.ExplainedStep;
import dev.conform.planner.PlannedModel;
import dev.conform.planner.Planner;
import dev.conform.spi.SourceData;
import dev.conform.spi.SqlDialect;
import dev.conform.spi.Step;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Prints the steps a run would execute: Calcite's logical plan and the SQL for a dialect. */
@Command(
    name = "plan",
    description = "Print each model's steps: the logical plan and the SQL for a dialect.")
final class PlanCommand implements Callable<Integer> {
  /** What to print for each step. */
  enum Show {
    sql,
    logical,
    all
  }

  @Mixin ProjectOption project;

  @Parameters(paramLabel = "MODEL", description = "Models to plan (default: all).")
  List<String> models = new ArrayList<>();

  @Option(
      names = "--dialect",
      description = "duckdb, postgresql, mysql, h2 or spark (default: ${DEFAULT-VALUE}).",
      defaultValue = "duckdb")
  String dialect;

  @Option(
      names = "--full-refresh",
      description =
          "Show the plan of run --full-refresh instead of an incremental run's. A model's first"
              + " run uses the same steps, creating its tables instead of replacing them.")
  boolean fullRefresh;

  @Option(
      names = "--show",
      description = "sql, logical or all (default: ${DEFAULT-VALUE}).",
      defaultValue = "all")
  Show show;

  private final Printer printer;
  private final RuntimeRegistry runtimes;

  @Inject
  PlanCommand(Printer printer, RuntimeRegistry runtimes) {
    this.printer = printer;
    this.runtimes = runtimes;
  }

  @Override
  public Integer call() {
    SqlDialect target = dialect();
    ProjectContext context = ProjectContext.load(project.project, printer);
    ModelBinder binder = new ModelBinder(printer);
    try (LazyScratch engine =
        new LazyScratch(runtimes, context.runtimeName(java.util.Optional.empty(), runtimes))) {
      for (DimensionSpec dimension : context.selectDimensions(models)) {
        SourceSpec source = context.source(dimension.from().name());
        SourceData data;
        BoundDimension bound;
        if (SourceCapture.captures(source)) {
          SourceCapture capture = SourceCapture.describing(context, dimension, source, printer);
          data = SourceCapture.landingData(capture.landing());
          bound = binder.bind(dimension, source, capture::describe);
        } else {
          List<FileStamp> files =
              SourceFiles.list(context.folder(source), source.path().orElseThrow());
          data =
              files.isEmpty()
                  ? new SourceData.Files(
                      source.format().orElseThrow(),
                      List.of(
                          context.folder(source).resolve(source.path().orElseThrow()).toString()),
                      source.options())
                  : ProjectRunner.files(source, files);
          SourceData read = data;
          bound = binder.bind(dimension, source, () -> read, engine);
        }
        PlannedModel planned =
            new Planner()
                .plan(
                    new Planner.ModelRequest(bound, data),
                    target,
                    0,
                    fullRefresh ? Planner.Start.FULL_REFRESH : Planner.Start.INCREMENTAL);
        print(dimension.name().name(), planned);
      }
    }
    return ExitCode.OK;
  }

  private SqlDialect dialect() {
    try {
      return SqlDialect.valueOf(dialect.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UserException(
          ExitCode.USAGE,
          "Unknown dialect '" + dialect + "'; use duckdb, postgresql, mysql, h2 or spark");
    }
  }

  private void print(String model, PlannedModel planned) {
    printer.line("== model " + model + " (" + dialect + ")");
    int index = 1;
    for (ExplainedStep explained : planned.explained()) {
      Step step = explained.step();
      printer.line("");
      printer.line("-- " + index++ + ". " + step.description());
      if (show != Show.sql && explained.logicalPlan().isPresent()) {
        for (String line : explained.logicalPlan().get().strip().split("\n")) {
          printer.line("--   " + line);
        }
      }
      if (show != Show.logical) {
        printer.line(StepText.sql(step));
      }
    }
    printer.line("");
  }
}
