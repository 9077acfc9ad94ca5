package dev.conform.examples;

import static dev.conform.examples.ExampleRunsTest.conform;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conform.runtime.spark.SharedSpark;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every function and operator of the expression language, over edge values (NULLs, zeros,
 * negatives, halves, non-ASCII text), gives the same values on DuckDB and on Spark. The project is
 * {@code src/test/resources/parity}; the only difference allowed is the one the README lists.
 */
class ParityTest {
  @TempDir Path folder;

  @Test
  void everyFunctionGivesTheSameValuesOnSparkAsOnDuckDb() throws IOException {
    SharedSpark.session();
    Path project =
        ExampleRunsTest.copy(Path.of("src/test/resources/parity"), folder.resolve("parity"));
    for (String runtime : List.of("jdbc", "spark")) {
      String[] run = conform("run", "--runtime", runtime, "-p", project.toString());
      assertThat(run[0]).as(runtime + ": " + run[2]).isEqualTo("0");
    }

    List<Map<String, String>> duckdb = rows(project, "jdbc");
    List<Map<String, String>> spark = rows(project, "spark");

    assertThat(duckdb).hasSize(7);
    List<String> differences = new ArrayList<>();
    for (int i = 0; i < duckdb.size(); i++) {
      for (Map.Entry<String, String> cell : duckdb.get(i).entrySet()) {
        String other = spark.get(i).get(cell.getKey());
        if (!cell.getValue().equals(other)) {
          differences.add(
              "id "
                  + duckdb.get(i).get("id")
                  + " "
                  + cell.getKey()
                  + ": "
                  + cell.getValue()
                  + " / "
                  + other);
        }
      }
    }
    // Unicode's full upper case of ß is SS (Java, so Spark); DuckDB maps it to the capital ẞ.
    assertThat(differences).containsExactly("id 4 upper_s: ÄÖÜ STRAẞE / ÄÖÜ STRASSE");

    // The semantics Conform defines where engines differ (the README's expression reference).
    Map<String, String> seven = duckdb.get(0);
    assertThat(seven.get("divided")).as("7 / 2").isEqualTo("3.5");
    Map<String, String> zero = duckdb.get(3);
    assertThat(List.of(zero.get("mod_fn"), zero.get("divided_by_m"), zero.get("divided_x_by_m")))
        .as("mod(9, 0), 9 / 0, 3.5 / 0")
        .containsOnly("");
    assertThat(zero.get("modulo_m")).as("9 %% 0").isEmpty();
    assertThat(duckdb.get(3).get("cast_x")).as("cast(3.5 as bigint)").isEqualTo("4");
    assertThat(duckdb.get(1).get("cast_x")).as("cast(-2.5 as bigint)").isEqualTo("-3");
  }

  /** The parity table as rows of column name to canonical text, ordered by id. */
  private static List<Map<String, String>> rows(Path project, String runtime) {
    String[] show =
        conform(
            "show",
            "parity",
            "--format",
            "csv",
            "--limit",
            "-1",
            "--runtime",
            runtime,
            "-p",
            project.toString());
    assertThat(show[0]).as(runtime + ": " + show[2]).isEqualTo("0");
    List<String> lines = show[1].lines().toList();
    String[] header = lines.get(0).split(",", -1);
    return lines.stream()
        .skip(1)
        .map(
            line -> {
              String[] cells = line.split(",", -1);
              assertThat(cells).as(line).hasSize(header.length);
              Map<String, String> row = new java.util.LinkedHashMap<>();
              for (int i = 0; i < header.length; i++) {
                row.put(header[i], cells[i]);
              }
              return row;
            })
        .collect(Collectors.toList());
  }
}
