package dev.conform.cli;

import dev.conform.dsl.ColumnSpec;
import dev.conform.dsl.DimensionSpec;
import dev.conform.dsl.SourceSpec;
import dev.conform.dsl.TestBatch;
import dev.conform.dsl.TestSpec;
import dev.conform.dsl.TestTable;
import dev.conform.planner.BoundDimension;
import dev.conform.planner.PlannedModel;
import dev.conform.planner.Planner;
import dev.conform.planner.TableQueries;
import dev.conform.spi.Column;
import dev.conform.spi.ConformRuntime;
import dev.conform.spi.ModelPlan;
import dev.conform.spi.Plan;
import dev.conform.spi.RunListener;
import dev.conform.spi.RuntimeFailure;
import dev.conform.spi.SourceData;
import dev.conform.spi.Step;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Runs spec-level unit tests: each test gets a fresh throwaway warehouse, applies its batches one
 * run each, then compares the model's rows with the expected ones as multisets of canonical text.
 */
final class SpecTestRunner {
  private static final String EXPECTED = "_conform_expected";

  private final ProjectContext project;
  private final RuntimeRegistry runtimes;
  private final String runtimeName;
  private final Printer printer;

  SpecTestRunner(
      ProjectContext project, RuntimeRegistry runtimes, String runtimeName, Printer printer) {
    this.project = project;
    this.runtimes = runtimes;
    this.runtimeName = runtimeName;
    this.printer = printer;
  }

  /** The outcome of one test: empty failure means it passed. */
  record Result(TestSpec test, Optional<String> failure, long nanos) {}

  Result run(TestSpec test) {
    long start = System.nanoTime();
    try (RuntimeRegistry.Scratch scratch = runtimes.openScratch(runtimeName)) {
      ConformRuntime runtime = scratch.runtime();
      DimensionSpec dimension = project.dimension(test.model().name()).orElseThrow();
      SourceSpec source = project.source(dimension.from().name());
      long run = 1;
      for (TestBatch batch : test.batches()) {
        TestTable table = batch.sources().get(source.name().name());
        SourceData data = table == null ? ProjectRunner.noRows(source) : data(source, table, test);
        BoundDimension bound =
            new ModelBinder(printer).bind(dimension, source, () -> data, () -> runtime);
        Planner.Start tables =
            Planner.start(bound, false, t -> runtime.tableColumns(t).isPresent());
        PlannedModel planned =
            new Planner()
                .plan(new Planner.ModelRequest(bound, data), runtime.dialect(), run, tables);
        try {
          runtime.execute(new Plan(runtime.dialect(), List.of(planned.plan())), RunListener.NONE);
        } catch (RuntimeFailure e) {
          return new Result(
              test,
              Optional.of("batch " + run + " failed: " + e.getMessage()),
              System.nanoTime() - start);
        }
        run++;
      }
      Optional<String> failure;
      try {
        failure = compare(test, runtime);
      } catch (RuntimeFailure e) {
        failure = Optional.of("cannot compare the expected rows: " + e.getMessage());
      }
      return new Result(test, failure, System.nanoTime() - start);
    }
  }

  private Optional<String> compare(TestSpec test, ConformRuntime runtime) {
    String model = test.model().name();
    List<Column> tableColumns =
        runtime
            .tableColumns(model)
            .orElseThrow(() -> new IllegalStateException("Bug: test target missing: " + model));
    TestTable expect = test.expect();
    List<String> names = expect.file().isPresent() ? csvHeader(expect, test) : expect.columns();
    List<Column> typed = new ArrayList<>();
    for (String name : names) {
      Optional<Column> column =
          tableColumns.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
      if (column.isEmpty()) {
        return Optional.of(
            "expected column '"
                + name
                + "' is not a column of '"
                + model
                + "'; its columns are "
                + tableColumns.stream().map(Column::name).collect(Collectors.joining(", ")));
      }
      typed.add(column.get());
    }
    SourceData expectedData =
        expect.file().isPresent()
            ? csvFile(expect, test)
            : new SourceData.InlineRows(names, expect.rows());
    runtime.execute(
        new Plan(
            runtime.dialect(),
            List.of(
                new ModelPlan(
                    model,
                    List.of(
                        new Step.LoadSource(
                            "load expected rows",
                            "expect",
                            expectedData,
                            typed,
                            EXPECTED + "_stage",
                            EXPECTED + "_stage_rejects"),
                        Step.Statement.of(
                            "keep expected rows",
                            "CREATE TABLE "
                                + EXPECTED
                                + " AS SELECT "
                                + list(runtime, typed)
                                + " FROM "
                                + EXPECTED
                                + "_stage"),
                        Step.Statement.of(
                            "keep rejected expected rows",
                            "CREATE TABLE "
                                + EXPECTED
                                + "_rejects AS SELECT * FROM "
                                + EXPECTED
                                + "_stage_rejects"))))),
        RunListener.NONE);
    List<List<String>> badExpected =
        runtime
            .query("SELECT _conform_origin, _conform_reason FROM " + EXPECTED + "_rejects", -1)
            .rows();
    if (!badExpected.isEmpty()) {
      return Optional.of(
          "expected rows do not fit the table's types: "
              + badExpected.stream()
                  .map(r -> r.get(0) + ": " + r.get(1))
                  .collect(Collectors.joining("; ")));
    }
    List<List<String>> expected = runtime.query("SELECT * FROM " + EXPECTED, -1).rows();
    List<List<String>> actual =
        runtime
            .query(
                "SELECT "
                    + list(runtime, typed)
                    + " FROM "
                    + TableQueries.quote(runtime.dialect(), model),
                -1)
            .rows();
    List<List<String>> missing = minus(expected, actual);
    List<List<String>> unexpected = minus(actual, expected);
    if (missing.isEmpty() && unexpected.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(diff(names, missing, unexpected));
  }

  private static String diff(
      List<String> names, List<List<String>> missing, List<List<String>> unexpected) {
    List<List<String>> rows = new ArrayList<>();
    for (List<String> row : missing) {
      List<String> line = new ArrayList<>();
      line.add("-");
      line.addAll(row);
      rows.add(line);
    }
    for (List<String> row : unexpected) {
      List<String> line = new ArrayList<>();
      line.add("+");
      line.addAll(row);
      rows.add(line);
    }
    List<String> header = new ArrayList<>();
    header.add(" ");
    header.addAll(names);
    java.io.StringWriter text = new java.io.StringWriter();
    Printer table = new Printer(new java.io.PrintWriter(text), new java.io.PrintWriter(text));
    table.table(header, rows, null);
    return "rows differ: - expected but missing, + present but not expected\n"
        + text.toString().stripTrailing();
  }

  /** Multiset difference {@code a - b}. */
  static List<List<String>> minus(List<List<String>> a, List<List<String>> b) {
    Map<List<String>, Integer> counts = new HashMap<>();
    for (List<String> row : b) {
      counts.merge(row, 1, Integer::sum);
    }
    List<List<String>> result = new ArrayList<>();
    for (List<String> row : a) {
      Integer n = counts.get(row);
      if (n == null || n == 0) {
        result.add(row);
      } else {
        counts.put(row, n - 1);
      }
    }
    return result;
  }

  private SourceData data(SourceSpec source, TestTable table, TestSpec test) {
    if (table.file().isPresent()) {
      return csvFile(table, test);
    }
    if (source.columns().isEmpty()) {
      return new SourceData.InlineRows(table.columns(), table.rows());
    }
    // Declared columns the test leaves out are NULL.
    List<String> columns = source.columns().stream().map(ColumnSpec::name).toList();
    List<List<String>> rows = new ArrayList<>();
    for (List<String> row : table.rows()) {
      List<String> full = new ArrayList<>();
      for (String column : columns) {
        int index = table.columns().indexOf(column);
        full.add(index < 0 ? null : row.get(index));
      }
      rows.add(full);
    }
    for (String column : table.columns()) {
      if (!columns.contains(column)) {
        throw new UserException(
            ExitCode.SPEC_ERRORS,
            table.position()
                + ": error INVALID_TEST: column '"
                + column
                + "' is not a column of source '"
                + source.name().name()
                + "'");
      }
    }
    return new SourceData.InlineRows(columns, rows);
  }

  private SourceData csvFile(TestTable table, TestSpec test) {
    return new SourceData.Files(
        SourceData.Format.CSV, List.of(testFile(table).toString()), Map.of("header", "true"));
  }

  private Path testFile(TestTable table) {
    Path specFile = project.root().resolve(table.position().file());
    Path parent = specFile.getParent() == null ? project.root() : specFile.getParent();
    return parent.resolve(table.file().orElseThrow()).normalize();
  }

  private List<String> csvHeader(TestTable table, TestSpec test) {
    Path file = testFile(table);
    try (var lines = java.nio.file.Files.lines(file)) {
      String header = lines.findFirst().orElse("");
      return java.util.Arrays.stream(header.split(",", -1)).map(String::trim).toList();
    } catch (java.io.IOException e) {
      throw new UserException(
          ExitCode.SPEC_ERRORS,
          table.position() + ": error MISSING_FILE: cannot read " + file + ": " + e.getMessage());
    }
  }

  private static String list(ConformRuntime runtime, List<Column> columns) {
    return columns.stream()
        .map(c -> TableQueries.quote(runtime.dialect(), c.name()))
        .collect(Collectors.joining(", "));
  }
}
