package dev.conform.cli;

import dev.conform.catalog.CatalogException;
import dev.conform.catalog.CatalogStore;
import dev.conform.catalog.RunRecord;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Lists the project's recent runs from the catalog. */
@Command(name = "runs", description = "List recent runs with their status and time.")
final class RunsCommand implements Callable<Integer> {
  @Mixin ProjectOption project;

  @Option(
      names = "--limit",
      defaultValue = "20",
      description = "How many runs (default: ${DEFAULT-VALUE}).")
  int limit;

  private final Printer printer;

  @Inject
  RunsCommand(Printer printer) {
    this.printer = printer;
  }

  @Override
  public Integer call() {
    if (limit < 1) {
      throw new UserException(
          ExitCode.USAGE,
          "--limit must be at least 1 (it is " + limit + "): how many runs to list");
    }
    ProjectContext context = ProjectContext.load(project.project, printer);
    try (CatalogStore catalog = CatalogStore.openProject(context.root())) {
      List<List<String>> rows = new ArrayList<>();
      for (RunRecord run : catalog.runs(limit)) {
        rows.add(
            List.of(
                Long.toString(run.runId()),
                run.status().name().toLowerCase(java.util.Locale.ROOT),
                run.startedAt().toString(),
                run.elapsed().map(d -> RunCommand.seconds(d.toNanos())).orElse("-"),
                run.message().orElse("")));
      }
      printer.table(
          List.of("run", "status", "started", "time", "message"),
          rows,
          new boolean[] {true, false, false, true, false});
    } catch (CatalogException e) {
      throw new UserException(ExitCode.RUN_FAILED, e.getMessage());
    }
    return ExitCode.OK;
  }
}
