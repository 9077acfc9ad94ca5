package dev.conform.cli;

import dev.conform.cdc.AuditColumn;
import dev.conform.cdc.ExtractFailure;
import dev.conform.cdc.Extracted;
import dev.conform.cdc.SourceRequest;
import dev.conform.cdc.TableExtractor;
import dev.conform.dsl.CdcSpec;
import dev.conform.dsl.Lookback;
import dev.conform.dsl.SourceSpec;
import dev.conform.spi.Column;
import dev.conform.spi.SourceData;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * A source that reads a database table: what a model's run extracts from it into a landing file,
 * and the change-capture state that extraction advances. The state lives in the model's catalog
 * state and is written only when the run commits, so a failed or killed run reads the same changes
 * again.
 */
final class TableSource {
  private static final long PROGRESS_SECONDS = 5;

  private final ProjectContext project;
  private final SourceSpec source;
  private final Printer printer;

  TableSource(ProjectContext project, SourceSpec source, Printer printer) {
    this.project = project;
    this.source = source;
    this.printer = printer;
  }

  /** A run's extraction: the rows read into the landing file, and the state to store on commit. */
  record Extraction(Extracted extracted, Map<String, String> state) {
    /**
     * The landing file; with no rows, no rows of the extracted columns (an empty file tells the
     * loaders nothing about its columns).
     */
    SourceData data() {
      if (extracted.rows() == 0) {
        return new SourceData.InlineRows(
            extracted.columns().stream().map(Column::name).toList(), List.of());
      }
      return landingData(extracted.file());
    }
  }

  /** Where model {@code model}'s run lands this source's rows: under the project's target/. */
  Path landing(String model) {
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

  /** The request that reads this source's table. */
  SourceRequest request() {
    List<Column> declared =
        source.columns().stream().map(c -> Column.of(c.name(), c.type())).toList();
    return new SourceRequest(
        source.name().name(),
        project.database(source),
        source.table().orElseThrow().name(),
        declared);
  }

  /**
   * The table's columns as a load reads them; also checks the audit column, so that {@code conform
   * validate} finds a wrong one before a run does.
   */
  List<Column> describe() {
    return TableExtractor.describe(request(), audit(Map.of(), true));
  }

  /** {@link #describe()}, failing the command with the extraction's message. */
  List<Column> describeOrFail() {
    try {
      return describe();
    } catch (ExtractFailure e) {
      throw new UserException(ExitCode.RUN_FAILED, e.getMessage());
    }
  }

  /**
   * The audit column this source's {@code cdc} names, with its lookback and the mark in {@code
   * state} (none on a full refresh, or when the mark was read from another column, table or
   * connection); empty when the source is not captured by audit column.
   */
  private Optional<AuditColumn> audit(Map<String, String> state, boolean fullRefresh) {
    Optional<CdcSpec> cdc = source.cdc();
    if (cdc.isEmpty() || !cdc.get().strategy().name().equals(CdcSpec.AUDIT_COLUMN)) {
      return Optional.empty();
    }
    String column = cdc.get().setting("column").orElseThrow().value();
    boolean sameOrigin = origin(column).equals(state.get(columnKey()));
    Optional<String> mark =
        fullRefresh || !sameOrigin ? Optional.empty() : Optional.ofNullable(state.get(markKey()));
    Lookback lookback =
        cdc.get()
            .setting("lookback")
            .map(s -> Lookback.parse(s.value()).orElseThrow())
            .orElse(Lookback.NONE);
    return Optional.of(
        lookback instanceof Lookback.Time time
            ? new AuditColumn(column, time.duration(), BigDecimal.ZERO, mark)
            : new AuditColumn(
                column,
                Duration.ZERO,
                BigDecimal.valueOf(((Lookback.Amount) lookback).amount()),
                mark));
  }

  /**
   * Extracts what model {@code model} has not loaded: with an audit column, the rows past the mark
   * in {@code state} (all of them on a full refresh or a first run); without one, the whole table.
   * Prints the count now and then while a long extraction runs.
   */
  Extraction extract(String model, Map<String, String> state, boolean fullRefresh) {
    Optional<AuditColumn> audit = audit(state, fullRefresh);
    Map<String, String> advanced = new LinkedHashMap<>();
    audit.ifPresent(a -> advanced.put(columnKey(), origin(a.column())));
    Path landing = landing(model);
    long started = System.nanoTime();
    Extracted extracted;
    try {
      extracted = TableExtractor.extract(request(), audit, landing, progress(model, started));
    } catch (ExtractFailure e) {
      throw new UserException(ExitCode.RUN_FAILED, e.getMessage());
    }
    extracted.mark().ifPresent(m -> advanced.put(markKey(), m));
    printer.note(
        "source "
            + source.name().name()
            + " for "
            + model
            + ": read "
            + RunCommand.number(extracted.rows())
            + " row(s) from table "
            + source.table().orElseThrow().name()
            + audit
                .map(a -> a.mark().map(m -> " past " + a.column() + " " + m).orElse(" (all)"))
                .orElse(" (whole table)")
            + " in "
            + RunCommand.seconds(System.nanoTime() - started));
    return new Extraction(extracted, advanced);
  }

  /** Prints the rows read so far, at most every {@value #PROGRESS_SECONDS} seconds. */
  private LongConsumer progress(String model, long started) {
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
   * What a stored mark was read from: the column, the table and the connection (its URL without a
   * password). A mark read from another one is not used: the source was pointed elsewhere.
   */
  private String origin(String column) {
    return column
        + " of table "
        + source.table().orElseThrow().name()
        + " through "
        + project.database(source);
  }

  private String columnKey() {
    return "audit column:" + source.name().name();
  }

  private String markKey() {
    return "audit mark:" + source.name().name();
  }
}
