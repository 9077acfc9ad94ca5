package dev.conform.cli;

import dev.conform.catalog.CatalogException;
import dev.conform.catalog.CatalogStore;
import dev.conform.catalog.FileStamp;
import dev.conform.catalog.ProcessedFile;
import dev.conform.dsl.ColumnSpec;
import dev.conform.dsl.DimensionSpec;
import dev.conform.dsl.SourceSpec;
import dev.conform.planner.BoundDimension;
import dev.conform.planner.PlannedModel;
import dev.conform.planner.Planner;
import dev.conform.spi.ConformRuntime;
import dev.conform.spi.ModelPlan;
import dev.conform.spi.Plan;
import dev.conform.spi.RunListener;
import dev.conform.spi.RunResult;
import dev.conform.spi.RuntimeFailure;
import dev.conform.spi.SourceData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a project's models: finds the files each has not loaded, plans the load, executes it in one
 * transaction and records the run in the catalog after the warehouse has committed.
 */
final class ProjectRunner {
  private final ProjectContext project;
  private final Printer printer;

  ProjectRunner(ProjectContext project, Printer printer) {
    this.project = project;
    this.printer = printer;
  }

  /** What a run did; {@code upToDate} lists the models that had no new data. */
  record Outcome(RunResult result, List<String> upToDate, long runId) {}

  /** The key of a model's journal layout in its catalog state. */
  private static final String JOURNAL = "journal";

  /** A model with the files it will load this run. */
  private record Work(DimensionSpec dimension, SourceSpec source, List<FileStamp> files) {}

  /**
   * Runs the models named (all when empty). The runtime is opened only when some model has new
   * data, so a run with nothing to do costs no engine start.
   */
  Outcome run(
      List<String> models,
      java.util.function.Supplier<ConformRuntime> runtimes,
      String runtimeName,
      String warehouse,
      boolean fullRefresh,
      RunListener listener) {
    try (CatalogStore catalog = openCatalog()) {
      List<Work> work = new ArrayList<>();
      List<String> upToDate = new ArrayList<>();
      for (DimensionSpec dimension : project.selectDimensions(models)) {
        SourceSpec source = project.source(dimension.from().name());
        List<FileStamp> files =
            SourceFiles.list(project.folder(source), source.path().orElseThrow());
        if (!fullRefresh) {
          Map<String, ProcessedFile> processed =
              catalog.processedFiles(stateKey(warehouse, dimension, source));
          files =
              files.stream()
                  .filter(
                      f ->
                          processed.get(f.path()) == null
                              || !processed.get(f.path()).isUnchanged(f))
                  .toList();
        }
        if (files.isEmpty() && !fullRefresh) {
          upToDate.add(dimension.name().name());
        } else if (files.isEmpty() && source.columns().isEmpty()) {
          throw new UserException(
              ExitCode.RUN_FAILED,
              "Cannot rebuild model '"
                  + dimension.name().name()
                  + "': source '"
                  + source.name().name()
                  + "' has no files at '"
                  + source.path().orElseThrow()
                  + "' and declares no columns to make its empty tables from; add its files, or"
                  + " declare its columns");
        } else {
          // A full refresh rebuilds even from no files: the tables come back empty.
          work.add(new Work(dimension, source, files));
        }
      }
      if (work.isEmpty()) {
        return new Outcome(new RunResult(List.of(), java.time.Duration.ZERO), upToDate, -1);
      }
      ConformRuntime runtime = runtimes.get();
      long runId =
          catalog.startRun(
              project.spec().name(),
              runtimeName,
              warehouse,
              work.stream().map(w -> w.dimension().name().name()).toList());
      try {
        ModelBinder binder = new ModelBinder(printer);
        List<ModelPlan> plans = new ArrayList<>();
        Map<String, Map<String, String>> layouts = new LinkedHashMap<>();
        for (Work w : work) {
          SourceData data = data(w.source(), w.files());
          BoundDimension bound = binder.bind(w.dimension(), w.source(), () -> data, () -> runtime);
          Planner.Start start =
              Planner.start(bound, fullRefresh, t -> runtime.tableColumns(t).isPresent());
          String model = warehouse + "/" + bound.name();
          String layout = Planner.journalLayout(bound);
          if (start == Planner.Start.INCREMENTAL) {
            requireJournalLayout(bound.name(), catalog.modelState(model).get(JOURNAL), layout);
          }
          layouts.put(model, Map.of(JOURNAL, layout));
          PlannedModel planned =
              new Planner()
                  .plan(new Planner.ModelRequest(bound, data), runtime.dialect(), runId, start);
          plans.add(planned.plan());
        }
        RunResult result = runtime.execute(new Plan(runtime.dialect(), plans), listener);
        Map<String, List<FileStamp>> loaded = new LinkedHashMap<>();
        for (Work w : work) {
          loaded.put(stateKey(warehouse, w.dimension(), w.source()), w.files());
        }
        if (fullRefresh) {
          catalog.completeRefresh(runId, result, loaded, layouts);
        } else {
          catalog.completeRun(runId, result, loaded, layouts);
        }
        return new Outcome(result, upToDate, runId);
      } catch (RuntimeFailure e) {
        catalog.failRun(runId, e.getMessage());
        throw new UserException(ExitCode.RUN_FAILED, e.getMessage() + "; no target was changed");
      } catch (UserException e) {
        catalog.failRun(runId, e.getMessage());
        throw e;
      }
    }
  }

  /**
   * The journal was written as {@code recorded} (absent before the catalog kept it); a spec that
   * now asks for another layout, because its tie-breakers or their columns changed, would read the
   * journal wrongly and lose history.
   */
  private static void requireJournalLayout(String model, String recorded, String layout) {
    if (recorded != null && !recorded.equals(layout)) {
      throw new UserException(
          ExitCode.RUN_FAILED,
          "Cannot run model '"
              + model
              + "' incrementally: its journal keeps "
              + recorded
              + ", but its spec now asks for "
              + layout
              + " (its tie-breakers or their columns changed); rebuild it with conform run"
              + " --full-refresh "
              + model);
    }
  }

  private CatalogStore openCatalog() {
    try {
      return CatalogStore.openProject(project.root());
    } catch (CatalogException e) {
      throw new UserException(ExitCode.RUN_FAILED, e.getMessage());
    }
  }

  /**
   * Each model remembers the files it loaded from each source on its own, in each warehouse: a
   * project run on two runtimes loads every file into both.
   */
  static String stateKey(String warehouse, DimensionSpec dimension, SourceSpec source) {
    return warehouse + "/" + dimension.name().name() + ":" + source.name().name();
  }

  /** The files a model loads this run; none (a refresh of an empty source) as no rows. */
  private static SourceData data(SourceSpec source, List<FileStamp> files) {
    return files.isEmpty() ? noRows(source) : files(source, files);
  }

  /** No rows of {@code source}, with its declared columns. */
  static SourceData noRows(SourceSpec source) {
    return new SourceData.InlineRows(
        source.columns().stream().map(ColumnSpec::name).toList(), List.of());
  }

  static SourceData.Files files(SourceSpec source, List<FileStamp> files) {
    return new SourceData.Files(
        source.format().orElseThrow(),
        files.stream().map(FileStamp::path).toList(),
        source.options());
  }
}
