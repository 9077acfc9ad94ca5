package dev.conform.cli;

import dev.conform.catalog.FileStamp;
import dev.conform.cdc.CaptureRequest;
import dev.conform.cdc.ChangeCapture;
import dev.conform.cdc.ChangeCaptures;
import dev.conform.cdc.ExtractFailure;
import dev.conform.cdc.Extracted;
import dev.conform.cdc.SourceRequest;
import dev.conform.dsl.DimensionSpec;
import dev.conform.dsl.SourceSpec;
import dev.conform.spi.Column;
import dev.conform.spi.SourceData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

/**
 * A source whose rows a model's run captures into a landing file before the engine starts: a
 * database table (read whole, or by its change capture), or files that a change capture turns into
 * a change stream (Debezium events, full snapshots). The state the capture advances lives in the
 * model's catalog state and is written only when the run commits, so a failed or killed run reads
 * the same changes again.
 */
final class SourceCapture {
  private static final long PROGRESS_SECONDS = 5;

  private final ProjectContext project;
  private final SourceSpec source;
  private final String model;
  private final Printer printer;
  private final ChangeCapture capture;

  /**
   * The capture of {@code source} for {@code model} in {@code warehouse}; {@code files} are the
   * files to read, for a source of files, of which {@code reloaded} (paths) were loaded by an
   * earlier run and have changed since.
   */
  SourceCapture(
      ProjectContext project,
      SourceSpec source,
      String model,
      String warehouse,
      List<FileStamp> files,
      Set<String> reloaded,
      Printer printer) {
    this.project = project;
    this.source = source;
    this.model = model;
    this.printer = printer;
    String scope = warehouse + "/" + model + ":" + source.name().name();
    Path store = project.root().resolve(".conform").resolve("cdc").resolve(digest(scope));
    this.capture =
        source.isTable()
            ? ChangeCaptures.forTable(source, request(project, source), store, slotPrefix(scope))
            : ChangeCaptures.forFiles(
                source,
                files.stream().map(f -> Paths.get(f.path())).toList(),
                reloaded.stream().map(Paths::get).collect(Collectors.toSet()),
                store);
  }

  /**
   * A capture that {@code validate} and {@code plan} ask for columns only, over the files the
   * source has now; it never extracts, so it needs no warehouse (and keeps no store of its own).
   */
  static SourceCapture describing(
      ProjectContext project, DimensionSpec dimension, SourceSpec source, Printer printer) {
    List<FileStamp> files =
        source.isTable()
            ? List.of()
            : SourceFiles.list(project.folder(source), source.path().orElseThrow());
    return new SourceCapture(
        project, source, dimension.name().name(), "", files, Set.of(), printer);
  }

  /** True when {@code source} is read through a capture rather than by the engine directly. */
  static boolean captures(SourceSpec source) {
    return source.isTable() || source.cdc().isPresent();
  }

  /** A run's capture: the rows read into the landing file, and the state to store on commit. */
  record Extraction(Extracted extracted, List<Column> changeColumns, Map<String, String> state) {
    /**
     * The landing file; with no rows, no rows of the extracted columns and the change columns (an
     * empty file tells the loaders nothing about its columns).
     */
    SourceData data() {
      if (extracted.rows() == 0) {
        List<String> names = new ArrayList<>();
        extracted.columns().forEach(c -> names.add(c.name()));
        changeColumns.forEach(c -> names.add(c.name()));
        return new SourceData.InlineRows(names, List.of());
      }
      return landingData(extracted.file());
    }
  }

  /** Where this model's run lands the source's rows: under the project's target/. */
  Path landing() {
    return project
        .root()
        .resolve("target")
        .resolve("landing")
        .resolve(model)
        .resolve(source.name().name() + ".jsonl");
  }

  /** The landing file as the runtimes read it: newline-delimited JSON. */
  static SourceData landingData(Path file) {
    return new SourceData.Files(
        SourceData.Format.JSON, List.of(file.toString()), Map.of("format", "newline_delimited"));
  }

  /** The request that reads the table of {@code source}. */
  static SourceRequest request(ProjectContext project, SourceSpec source) {
    List<Column> declared =
        source.columns().stream().map(c -> Column.of(c.name(), c.type())).toList();
    return new SourceRequest(
        source.name().name(),
        project.database(source),
        source.table().orElseThrow().name(),
        declared);
  }

  /**
   * The source's columns as a load reads them; also checks the capture's settings against the
   * source (an audit column's type, a log table's columns), so that {@code conform validate} finds
   * a wrong one before a run does.
   */
  List<Column> describe() {
    return capture.describe();
  }

  /** {@link #describe()}, failing the command with the capture's message. */
  List<Column> describeOrFail() {
    try {
      return describe();
    } catch (ExtractFailure e) {
      throw new UserException(ExitCode.RUN_FAILED, e.getMessage());
    }
  }

  /**
   * Captures what the model has not loaded since {@code state} (everything on a full refresh or a
   * first run). Prints the count now and then while a long capture runs.
   */
  Extraction extract(Map<String, String> state, boolean fullRefresh) {
    long started = System.nanoTime();
    ChangeCapture.Capture captured;
    try {
      captured =
          capture.capture(new CaptureRequest(state, fullRefresh, landing(), progress(started)));
    } catch (ExtractFailure e) {
      throw new UserException(ExitCode.RUN_FAILED, e.getMessage());
    }
    printer.note(
        "source "
            + source.name().name()
            + " for "
            + model
            + ": read "
            + RunCommand.number(captured.extracted().rows())
            + " row(s) "
            + captured.from()
            + " in "
            + RunCommand.seconds(System.nanoTime() - started));
    return new Extraction(captured.extracted(), source.changeColumns(), captured.state());
  }

  /**
   * Tells the capture that the run and {@code state} committed; a failed clean-up is a warning, as
   * the stored state already says where the next run starts.
   */
  void committed(Map<String, String> state) {
    try {
      capture.committed(state);
    } catch (ExtractFailure e) {
      printer.warning(e.getMessage());
    }
  }

  /** Prints the rows read so far, at most every {@value #PROGRESS_SECONDS} seconds. */
  private LongConsumer progress(long started) {
    long[] last = {started};
    return rows -> {
      long now = System.nanoTime();
      if (now - last[0] >= PROGRESS_SECONDS * 1_000_000_000L) {
        last[0] = now;
        printer.note(
            "source "
                + source.name().name()
                + " for "
                + model
                + ": "
                + RunCommand.number(rows)
                + " row(s) read so far, "
                + RunCommand.seconds(now - started));
      }
    };
  }

  /**
   * What names the objects a capture creates at the source (replication slots, publications):
   * {@code conform_} and a digest of the warehouse, model and source, so that each model in each
   * warehouse has its own, within PostgreSQL's 63 characters.
   */
  private static String slotPrefix(String scope) {
    return "conform_" + digest(scope).substring(0, 16);
  }

  private static String digest(String text) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
