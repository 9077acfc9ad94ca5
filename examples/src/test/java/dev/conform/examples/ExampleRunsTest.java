package dev.conform.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conform.cli.Main;
import dev.conform.runtime.spark.SharedSpark;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example project as a user meets it after cloning: {@code conform run} loads its sample data
 * with the counts its README shows, {@code conform test} passes, and a second run has nothing to
 * do. Each runs on a copy, so the repository's folders stay clean.
 */
class ExampleRunsTest {
  @TempDir Path folder;

  static Stream<Arguments> projects() {
    return Stream.of(
        Arguments.of(
            "customer-scd", List.of("dim_customer\\s+2,080\\s+0\\s+2,080\\s+2,080\\s+0\\s+0")),
        Arguments.of(
            "xtec",
            List.of(
                "dim_crm_customer\\s+12\\s+2\\s+10\\s+8\\s+0\\s+0",
                "dim_crm_customer_current\\s+12\\s+2\\s+10\\s+5\\s+0\\s+0")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("projects")
  void runsItsSampleDataAndPassesItsTests(String name, List<String> summary) throws IOException {
    Path project = copy(Path.of(name), folder.resolve(name));

    String[] run = conform("run", "--project", project.toString());
    assertThat(run[0]).as(run[2]).isEqualTo("0");
    for (String line : summary) {
      assertThat(run[1]).containsPattern(line);
    }

    String[] test = conform("test", "--project", project.toString());
    assertThat(test[0]).as(test[1] + test[2]).isEqualTo("0");
    assertThat(test[1]).contains("4 passed, 0 failed");

    String[] again = conform("run", "--project", project.toString());
    assertThat(again[0]).isEqualTo("0");
    assertThat(again[1]).contains("up to date");
  }

  /**
   * The same project, unchanged, on Spark: the same counts, the same tables row for row as on
   * DuckDB, its tests pass there too, and a second run has nothing to do.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("projects")
  void givesTheSameTablesOnSparkAsOnDuckDb(String name, List<String> summary) throws IOException {
    SharedSpark.session();
    Path project = copy(Path.of(name), folder.resolve(name));

    String[] duckdb = conform("run", "--project", project.toString());
    assertThat(duckdb[0]).as(duckdb[2]).isEqualTo("0");
    String[] spark = conform("run", "--runtime", "spark", "--project", project.toString());
    assertThat(spark[0]).as(spark[2]).isEqualTo("0");
    for (String line : summary) {
      assertThat(spark[1]).containsPattern(line);
    }
    for (String model : models(summary)) {
      for (String table : List.of("", "--rejects")) {
        String[] onDuckDb = show(project, model, table, "jdbc");
        String[] onSpark = show(project, model, table, "spark");
        assertThat(onSpark[0]).as(onSpark[2]).isEqualTo("0");
        assertThat(withoutRunIds(onSpark[1], table))
            .as(model + " " + table)
            .isEqualTo(withoutRunIds(onDuckDb[1], table));
      }
    }

    String[] test = conform("test", "--runtime", "spark", "--project", project.toString());
    assertThat(test[0]).as(test[1] + test[2]).isEqualTo("0");
    assertThat(test[1]).contains("4 passed, 0 failed");

    String[] again = conform("run", "--runtime", "spark", "--project", project.toString());
    assertThat(again[0]).isEqualTo("0");
    assertThat(again[1]).contains("up to date");
  }

  /**
   * A later delivery with rows that cannot be used, on both runtimes: the same counts of rows read
   * and rejected, the same tables and rejects.
   */
  @org.junit.jupiter.api.Test
  void aLaterDeliveryGivesTheSameCountsAndTablesOnSparkAsOnDuckDb() throws IOException {
    SharedSpark.session();
    Path project = copy(Path.of("xtec"), folder.resolve("xtec"));
    for (String runtime : List.of("jdbc", "spark")) {
      String[] first = conform("run", "--runtime", runtime, "--project", project.toString());
      assertThat(first[0]).as(first[2]).isEqualTo("0");
    }
    Files.writeString(
        project.resolve("data/crm_customers/crm_customers_2024-03-03.csv"),
        String.join(
            "\n",
            "customer_id,first_name,last_name,plan_code,city,status,updated_at,op",
            "1001,Amira,Hassan,BIZ,Cairo,active,2024-03-03 08:00:00,U",
            ",Nour,Ali,PRE,Cairo,active,2024-03-03 09:00:00,I",
            "1002,Omar,Farouk,POST,Alexandria,active,the third of March,U",
            ""));

    String[] onDuckDb = conform("run", "--runtime", "jdbc", "--project", project.toString());
    String[] onSpark = conform("run", "--runtime", "spark", "--project", project.toString());

    assertThat(onDuckDb[0]).as(onDuckDb[2]).isEqualTo("0");
    assertThat(onSpark[0]).as(onSpark[2]).isEqualTo("0");
    for (String model : List.of("dim_crm_customer", "dim_crm_customer_current")) {
      // Read 3, rejected 2: a row without its key, a row whose time does not convert.
      assertThat(counts(onSpark[1], model))
          .startsWith("3 2 1 ")
          .isEqualTo(counts(onDuckDb[1], model));
      for (String table : List.of("", "--rejects")) {
        assertThat(withoutRunIds(show(project, model, table, "spark")[1], table))
            .as(model + " " + table)
            .isEqualTo(withoutRunIds(show(project, model, table, "jdbc")[1], table));
      }
    }
  }

  /** The counts of {@code model}'s line of a run's summary, without its time. */
  private static String counts(String summary, String model) {
    String line = summary.lines().filter(l -> l.startsWith(model + " ")).findFirst().orElseThrow();
    String[] cells = line.trim().split("\\s+");
    return String.join(" ", List.of(cells).subList(1, cells.length - 1)).replace(",", "");
  }

  /** A connection of type spark puts the tables in its folder, with its settings. */
  @org.junit.jupiter.api.Test
  void writesToTheFolderOfASparkConnection() throws IOException {
    SharedSpark.session();
    Path project = copy(Path.of("customer-scd"), folder.resolve("customer-scd"));
    Files.writeString(
        project.resolve("conform.yaml"),
        String.join(
            "\n",
            "project: customer-scd",
            "spec-paths: [models, tests]",
            "runtime: spark",
            "target: lake",
            "connections:",
            "  landing: { type: files, path: data }",
            "  lake: { type: spark, path: lake, spark.sql.shuffle.partitions: \"3\" }",
            ""));

    String[] run = conform("run", "--project", project.toString());

    assertThat(run[0]).as(run[2]).isEqualTo("0");
    assertThat(run[1]).containsPattern("dim_customer\\s+2,080\\s+0\\s+2,080\\s+2,080");
    assertThat(project.resolve("lake/conform/dim_customer/metadata")).isDirectory();
    assertThat(project.resolve("target/spark-warehouse")).doesNotExist();
  }

  private static String[] show(Path project, String model, String rejects, String runtime) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("show", model, "--format", "csv", "--limit", "-1", "--runtime", runtime));
    if (!rejects.isEmpty()) {
      args.add(rejects);
    }
    args.add("-p");
    args.add(project.toString());
    return conform(args.toArray(String[]::new));
  }

  /** Rejects rows without their first column, the run id: each runtime's run has its own. */
  private static String withoutRunIds(String csv, String rejects) {
    if (rejects.isEmpty()) {
      return csv;
    }
    return csv.lines()
        .map(line -> line.substring(line.indexOf(',') + 1))
        .collect(java.util.stream.Collectors.joining("\n"));
  }

  /** The model names the summary patterns start with. */
  private static List<String> models(List<String> summary) {
    return summary.stream().map(line -> line.substring(0, line.indexOf('\\'))).toList();
  }

  /** Exit code, standard output and standard error of one in-process invocation. */
  static String[] conform(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path relative = from.relativize(path);
        if (relative.startsWith("target") || relative.startsWith(".conform")) {
          continue;
        }
        Path target = to.resolve(relative.toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
    return to;
  }
}
