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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs a project's models: finds the files each has not loaded, or extracts what changed in its
 * source table, plans the load, executes it in one transaction and records the run, with the files
 * and change-capture positions it consumed, in the catalog after the warehouse has committed.
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

  /**
   * A model with what it loads this run: its data, the files to record as processed, the state its
   * last committed run stored, and, for a captured source, the capture and what it read (its
   * columns, landing file and the state to store on commit).
   */
  private record Work(
      DimensionSpec dimension,
      SourceSpec source,
      SourceData data,
      List<FileStamp> files,
      Map<String, String> stored,
      Optional<Captured> captured) {}

  /** A capture and what it read this run. */
  private record Captured(SourceCapture capture, SourceCapture.Extraction extraction) {}

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
      try {
        for (DimensionSpec dimension : project.selectDimensions(models)) {
          SourceSpec source = project.source(dimension.from().name());
          Map<String, String> stored = catalog.modelState(modelKey(warehouse, dimension));
          Optional<Work> next =
              SourceCapture.captures(source)
                  ? capturedWork(catalog, warehouse, dimension, source, stored, fullRefresh)
                  : fileWork(catalog, warehouse, dimension, source, stored, fullRefresh);
          next.ifPresentOrElse(work::add, () -> upToDate.add(dimension.name().name()));
        }
        if (work.isEmpty()) {
          return new Outcome(new RunResult(List.of(), java.time.Duration.ZERO), upToDate, -1);
        }
        return execute(
            catalog, work, upToDate, runtimes, runtimeName, warehouse, fullRefresh, listener);
      } finally {
        work.forEach(
            w -> w.captured().ifPresent(c -> deleteLanding(c.extraction().extracted().file())));
      }
    }
  }

  private Outcome execute(
      CatalogStore catalog,
      List<Work> work,
      List<String> upToDate,
      java.util.function.Supplier<ConformRuntime> runtimes,
      String runtimeName,
      String warehouse,
      boolean fullRefresh,
      RunListener listener) {
    ConformRuntime runtime = runtimes.get();
    long runId =
        catalog.startRun(
            project.spec().name(),
            runtimeName,
            warehouse,
            work.stream().map(w -> w.dimension().name().name()).toList());
    Map<String, Map<String, String>> states = new LinkedHashMap<>();
    RunResult result;
    try {
      ModelBinder binder = new ModelBinder(printer);
      List<ModelPlan> plans = new ArrayList<>();
      for (Work w : work) {
        BoundDimension bound =
            binder.bind(
                w.dimension(),
                w.source(),
                () ->
                    w.captured()
                        .map(c -> c.extraction().extracted().columns())
                        .orElseGet(() -> runtime.describe(w.data())));
        Planner.Start start =
            Planner.start(bound, fullRefresh, t -> runtime.tableColumns(t).isPresent());
        String model = modelKey(warehouse, w.dimension());
        String layout = Planner.journalLayout(bound);
        if (start == Planner.Start.INCREMENTAL) {
          requireJournalLayout(bound.name(), w.stored().get(JOURNAL), layout);
        }
        Map<String, String> state = new LinkedHashMap<>();
        w.captured().ifPresent(c -> state.putAll(c.extraction().state()));
        state.put(JOURNAL, layout);
        states.put(model, state);
        PlannedModel planned =
            new Planner()
                .plan(new Planner.ModelRequest(bound, w.data()), runtime.dialect(), runId, start);
        plans.add(planned.plan());
      }
      result = runtime.execute(new Plan(runtime.dialect(), plans), listener);
    } catch (RuntimeFailure e) {
      catalog.failRun(runId, e.getMessage());
      throw new UserException(ExitCode.RUN_FAILED, e.getMessage() + "; no target was changed");
    } catch (UserException e) {
      catalog.failRun(runId, e.getMessage());
      throw e;
    }
    // The warehouse has committed: from here on, the run's changes are in the targets.
    Map<String, List<FileStamp>> loaded = new LinkedHashMap<>();
    for (Work w : work) {
      if (!w.source().isTable()) {
        loaded.put(stateKey(warehouse, w.dimension(), w.source()), w.files());
      }
    }
    record(catalog, runId, result, loaded, states, fullRefresh);
    for (Work w : work) {
      w.captured().ifPresent(c -> c.capture().committed(c.extraction().state()));
    }
    return new Outcome(result, upToDate, runId);
  }

  /**
   * Records in the catalog that run {@code runId}, which the warehouse has committed, succeeded
   * with its files and states. When the catalog cannot, the warehouse keeps the run's changes but
   * the catalog still has the old files and states, so the next run reads the same changes again;
   * applying them again changes nothing (re-delivered events are exact duplicates), so the command
   * fails saying so, and the run is marked failed if the catalog allows it.
   */
  private static void record(
      CatalogStore catalog,
      long runId,
      RunResult result,
      Map<String, List<FileStamp>> loaded,
      Map<String, Map<String, String>> states,
      boolean fullRefresh) {
    try {
      if (fullRefresh) {
        catalog.completeRefresh(runId, result, loaded, states);
      } else {
        catalog.completeRun(runId, result, loaded, states);
      }
    } catch (CatalogException e) {
      String message =
          "The warehouse committed run "
              + runId
              + ", but the catalog could not record it: "
              + e.getMessage()
              + "; the next run reads the same changes again, and loading them again changes"
              + " nothing";
      try {
        catalog.failRun(runId, message);
      } catch (CatalogException ignored) {
        // The catalog refuses every write; the next conform command marks the run abandoned.
      }
      throw new UserException(ExitCode.RUN_FAILED, message);
    }
  }

  /** What a model loads from a files source: the files it has not loaded, or all on a refresh. */
  private Optional<Work> fileWork(
      CatalogStore catalog,
      String warehouse,
      DimensionSpec dimension,
      SourceSpec source,
      Map<String, String> stored,
      boolean fullRefresh) {
    String path = source.path().orElseThrow();
    List<FileStamp> files =
        newFiles(source, processed(catalog, warehouse, dimension, source, fullRefresh));
    if (files.isEmpty() && !fullRefresh) {
      return Optional.empty();
    }
    if (files.isEmpty() && source.columns().isEmpty()) {
      throw new UserException(
          ExitCode.RUN_FAILED,
          "Cannot rebuild model '"
              + dimension.name().name()
              + "': source '"
              + source.name().name()
              + "' has no files at '"
              + path
              + "' and declares no columns to make its empty tables from; add its files, or"
              + " declare its columns");
    }
    // A full refresh rebuilds even from no files: the tables come back empty.
    return Optional.of(
        new Work(dimension, source, data(source, files), files, stored, Optional.empty()));
  }

  /** The files a model loaded from a source of files; none counts on a refresh. */
  private static Map<String, ProcessedFile> processed(
      CatalogStore catalog,
      String warehouse,
      DimensionSpec dimension,
      SourceSpec source,
      boolean fullRefresh) {
    return fullRefresh ? Map.of() : catalog.processedFiles(stateKey(warehouse, dimension, source));
  }

  /** The files of a source of files not in {@code processed}, or changed since. */
  private List<FileStamp> newFiles(SourceSpec source, Map<String, ProcessedFile> processed) {
    List<FileStamp> files = SourceFiles.list(project.folder(source), source.path().orElseThrow());
    return files.stream()
        .filter(f -> processed.get(f.path()) == null || !processed.get(f.path()).isUnchanged(f))
        .toList();
  }

  /**
   * What a model loads from a source read through a capture (a table, or files with a cdc): the
   * changes since the state its last committed run stored; nothing when none changed (a full
   * refresh reads them all).
   */
  private Optional<Work> capturedWork(
      CatalogStore catalog,
      String warehouse,
      DimensionSpec dimension,
      SourceSpec source,
      Map<String, String> stored,
      boolean fullRefresh) {
    Map<String, ProcessedFile> processed =
        source.isTable() ? Map.of() : processed(catalog, warehouse, dimension, source, fullRefresh);
    List<FileStamp> files = source.isTable() ? List.of() : newFiles(source, processed);
    if (!source.isTable() && files.isEmpty() && !fullRefresh) {
      return Optional.empty();
    }
    // The files an earlier run loaded that have changed since (every file is new on a refresh).
    Set<String> reloaded =
        files.stream()
            .map(FileStamp::path)
            .filter(processed::containsKey)
            .collect(Collectors.toSet());
    SourceCapture capture =
        new SourceCapture(
            project, source, dimension.name().name(), warehouse, files, reloaded, printer);
    SourceCapture.Extraction extraction = capture.extract(stored, fullRefresh);
    if (extraction.extracted().rows() == 0 && !fullRefresh) {
      // Nothing to load, so no run stores the state: the next run starts where this one did.
      deleteLanding(extraction.extracted().file());
      return Optional.empty();
    }
    return Optional.of(
        new Work(
            dimension,
            source,
            extraction.data(),
            files,
            stored,
            Optional.of(new Captured(capture, extraction))));
  }

  /**
   * Deletes a landing file once its run has ended. A file left behind is harmless (the next run
   * writes it anew), so a failure here must not hide how the run ended.
   */
  private static void deleteLanding(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // Left for the next run to replace.
    }
  }

  private static String modelKey(String warehouse, DimensionSpec dimension) {
    return warehouse + "/" + dimension.name().name();
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
