package dev.conform.cli;

import dev.conform.spi.ConformRuntime;
import dev.conform.spi.Metric;
import dev.conform.spi.ModelResult;
import dev.conform.spi.RunListener;
import dev.conform.spi.WarehouseConnection;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Loads the new data of a project's models into the warehouse, atomically. */
@Command(
    name = "run",
    description =
        "Load each model's new source files, or its source table's changed rows, into the warehouse in one transaction and print a"
            + " summary per model.")
final class RunCommand implements Callable<Integer> {
  @Mixin ProjectOption project;

  @Parameters(paramLabel = "MODEL", description = "Models to run (default: all).")
  List<String> models = new ArrayList<>();

  @Option(
      names = "--full-refresh",
      description = "Drop the models' tables and rebuild them from all their source files.")
  boolean fullRefresh;

  @Option(names = "--timings", description = "Print the time of every step to standard error.")
  boolean timings;

  @Option(names = "--runtime", description = "The runtime to use (default: the project's).")
  Optional<String> runtime;

  private final Printer printer;
  private final RuntimeRegistry runtimes;

  @Inject
  RunCommand(Printer printer, RuntimeRegistry runtimes) {
    this.printer = printer;
    this.runtimes = runtimes;
  }

  @Override
  public Integer call() {
    ProjectContext context = ProjectContext.load(project.project, printer);
    String runtimeName = context.runtimeName(runtime, runtimes);
    WarehouseConnection warehouse = runtimes.warehouse(runtimeName, context);
    RunListener progress = ProgressListener.forConsole();
    RunListener listener = timings ? new StepTimings(printer, progress) : progress;
    ProjectRunner.Outcome outcome;
    ConformRuntime[] engine = new ConformRuntime[1];
    try {
      outcome =
          new ProjectRunner(context, printer)
              .run(
                  models,
                  () -> engine[0] = runtimes.open(runtimeName, warehouse),
                  runtimeName,
                  warehouse.name(),
                  fullRefresh,
                  listener);
    } finally {
      if (progress instanceof ProgressListener bar) {
        bar.close();
      }
      if (engine[0] != null) {
        engine[0].close();
      }
    }
    List<List<String>> rows = new ArrayList<>();
    for (ModelResult model : outcome.result().models()) {
      rows.add(
          List.of(
              model.model(),
              number(model.count(Metric.ROWS_READ)),
              number(model.count(Metric.ROWS_REJECTED)),
              number(model.count(Metric.EVENTS_NEW)),
              number(model.count(Metric.ROWS_INSERTED)),
              number(model.count(Metric.ROWS_CLOSED) + model.count(Metric.ROWS_UPDATED)),
              number(model.count(Metric.ROWS_DELETED)),
              seconds(model.elapsed().toNanos())));
    }
    for (String model : outcome.upToDate()) {
      rows.add(List.of(model, "-", "-", "-", "-", "-", "-", "up to date"));
    }
    printer.table(
        List.of(
            "model",
            "read",
            "rejected",
            "new events",
            "inserted",
            "closed/updated",
            "removed",
            "time"),
        rows,
        new boolean[] {false, true, true, true, true, true, true, true});
    if (outcome.runId() >= 0) {
      printer.line(
          "run "
              + outcome.runId()
              + " committed in "
              + seconds(outcome.result().elapsed().toNanos()));
    }
    return ExitCode.OK;
  }

  static String number(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2fs", nanos / 1e9);
  }
}
