package dev.conform.cli;

import dev.conform.dsl.DimensionSpec;
import dev.conform.planner.TableQueries;
import dev.conform.spi.Column;
import dev.conform.spi.ConformRuntime;
import dev.conform.spi.QueryResult;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Prints a model's table (or its rejects) from the warehouse. */
@Command(
    name = "show",
    description = "Print the rows of a model's table, ordered by key and validity.")
final class ShowCommand implements Callable<Integer> {
  /** Output formats of {@code show}. */
  enum Format {
    table,
    csv
  }

  @Mixin ProjectOption project;

  @Parameters(paramLabel = "MODEL", description = "The model to show.")
  String model;

  @Option(
      names = "--format",
      description = "table or csv (default: ${DEFAULT-VALUE}).",
      defaultValue = "table")
  Format format;

  @Option(
      names = "--limit",
      description = "Show at most N rows (default: ${DEFAULT-VALUE}; -1 for all).",
      defaultValue = "50")
  int limit;

  @Option(names = "--rejects", description = "Show the model's rejected rows instead.")
  boolean rejects;

  @Option(names = "--runtime", description = "The runtime to use (default: the project's).")
  Optional<String> runtime;

  private final Printer printer;
  private final RuntimeRegistry runtimes;

  @Inject
  ShowCommand(Printer printer, RuntimeRegistry runtimes) {
    this.printer = printer;
    this.runtimes = runtimes;
  }

  @Override
  public Integer call() {
    ProjectContext context = ProjectContext.load(project.project, printer);
    DimensionSpec dimension = context.selectDimensions(List.of(model)).get(0);
    String table = rejects ? TableQueries.rejectTable(model) : model;
    String runtimeName = context.runtimeName(runtime, runtimes);
    try (ConformRuntime engine =
        runtimes.open(runtimeName, runtimes.warehouse(runtimeName, context))) {
      Optional<List<Column>> columns = engine.tableColumns(table);
      if (columns.isEmpty()) {
        throw new UserException(
            ExitCode.RUN_FAILED,
            "Cannot show '"
                + model
                + "': its table does not exist yet; run 'conform run "
                + model
                + runtime.map(r -> " --runtime " + r).orElse("")
                + "' first");
      }
      String sql =
          TableQueries.selectAll(engine.dialect(), table, orderBy(dimension, columns.get()));
      QueryResult result = engine.query(sql, limit < 0 ? -1 : limit + 1);
      List<List<String>> rows = result.rows();
      boolean more = limit >= 0 && rows.size() > limit;
      if (more) {
        rows = rows.subList(0, limit);
      }
      List<String> header = result.columns().stream().map(Column::name).toList();
      if (format == Format.csv) {
        printer.csv(header, rows);
      } else {
        boolean[] right = new boolean[header.size()];
        for (int i = 0; i < header.size(); i++) {
          right[i] = result.columns().get(i).type().isNumeric();
        }
        printer.table(header, rows, right);
        printer.note(
            rows.size()
                + " row(s)"
                + (more ? "; more not shown (use --limit N, or -1 for all)" : ""));
      }
    }
    return ExitCode.OK;
  }

  private List<String> orderBy(DimensionSpec dimension, List<Column> columns) {
    List<String> names = columns.stream().map(Column::name).toList();
    List<String> order = new ArrayList<>();
    if (rejects) {
      return List.of("run_id", "origin", "record");
    }
    dimension.businessKey().forEach(k -> order.add(k.name()));
    if (dimension.scd().type() == 2 && names.contains(dimension.scd().validFrom())) {
      order.add(dimension.scd().validFrom());
      order.add(dimension.scd().validTo());
    }
    for (String name : names) {
      if (!order.contains(name)) {
        order.add(name);
      }
    }
    return order;
  }
}
