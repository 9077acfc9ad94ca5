package dev.conform.runtime.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conform.spi.Column;
import dev.conform.spi.ConformRuntime;
import dev.conform.spi.DataType;
import dev.conform.spi.QueryResult;
import dev.conform.spi.RuntimeFailure;
import dev.conform.spi.SourceData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcRuntimeQueryTest {
  @TempDir Path folder;
  private ConformRuntime runtime;

  @BeforeEach
  void open() {
    runtime = DuckDbTesting.inMemory();
  }

  @AfterEach
  void close() {
    runtime.close();
  }

  @Test
  void rendersEveryTypeCanonically() {
    QueryResult result =
        runtime.query(
            "SELECT 'a' AS s, true AS b, 42 AS i, 12345678901::BIGINT AS l, 1.5::DOUBLE AS d,"
                + " 1e20::DOUBLE AS big, 0.0001::DOUBLE AS small, 2.0::DOUBLE AS whole,"
                + " 12.50::DECIMAL(10,2) AS money, DATE '2020-01-02' AS day,"
                + " TIMESTAMP '2020-01-02 03:04:05' AS ts, TIMESTAMP '2020-01-02 03:04:05.25' AS ts_frac,"
                + " 7::HUGEINT AS huge, NULL::INTEGER AS nothing",
            -1);

    assertThat(result.columns())
        .containsExactly(
            Column.of("s", DataType.STRING),
            Column.of("b", DataType.BOOLEAN),
            Column.of("i", DataType.INTEGER),
            Column.of("l", DataType.BIGINT),
            Column.of("d", DataType.DOUBLE),
            Column.of("big", DataType.DOUBLE),
            Column.of("small", DataType.DOUBLE),
            Column.of("whole", DataType.DOUBLE),
            Column.of("money", DataType.decimal(10, 2)),
            Column.of("day", DataType.DATE),
            Column.of("ts", DataType.TIMESTAMP),
            Column.of("ts_frac", DataType.TIMESTAMP),
            Column.of("huge", DataType.BIGINT),
            Column.of("nothing", DataType.INTEGER));
    assertThat(result.rows())
        .containsExactly(
            Arrays.asList(
                "a",
                "true",
                "42",
                "12345678901",
                "1.5",
                "100000000000000000000",
                "0.0001",
                "2",
                "12.50",
                "2020-01-02",
                "2020-01-02 03:04:05",
                "2020-01-02 03:04:05.25",
                "7",
                null));
  }

  @Test
  void rendersTypesWithoutAConformKindAsText() {
    QueryResult result =
        runtime.query(
            "SELECT [1, 2] AS list, TIME '10:11:12' AS t, [1.5::DECIMAL(10,2)] AS amounts,"
                + " [TIMESTAMP '2020-01-01'] AS seen, {'a': 1} AS s",
            -1);

    assertThat(result.columns())
        .containsExactly(
            Column.of("list", DataType.STRING),
            Column.of("t", DataType.STRING),
            Column.of("amounts", DataType.STRING),
            Column.of("seen", DataType.STRING),
            Column.of("s", DataType.STRING));
    assertThat(result.rows().get(0).subList(0, 2)).containsExactly("[1, 2]", "10:11:12");
  }

  @Test
  void returnsAtMostTheLimit() {
    assertThat(runtime.query("SELECT * FROM range(10)", 3).rows()).hasSize(3);
    assertThat(runtime.query("SELECT * FROM range(10)", 0).rows()).isEmpty();
    assertThat(runtime.query("SELECT * FROM range(10)", -1).rows()).hasSize(10);
  }

  @Test
  void failsAQueryWithTheEnginesMessage() {
    assertThatThrownBy(() -> runtime.query("SELECT * FROM missing_table", -1))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageStartingWith(
            "Cannot run query: Catalog Error: Table with name missing_table does not exist");
  }

  @Test
  void readsTableColumnsCaseInsensitively() {
    DuckDbTesting.run(
        runtime,
        "setup",
        DuckDbTesting.sql("CREATE SCHEMA mart"),
        DuckDbTesting.sql(
            "CREATE TABLE mart.Dim_Customer (id BIGINT, name VARCHAR, amount DECIMAL(12,2), since DATE,"
                + " seen TIMESTAMP, ok BOOLEAN, score DOUBLE, n SMALLINT)"));

    assertThat(runtime.tableColumns("mart.dim_customer"))
        .contains(
            List.of(
                Column.of("id", DataType.BIGINT),
                Column.of("name", DataType.STRING),
                Column.of("amount", DataType.decimal(12, 2)),
                Column.of("since", DataType.DATE),
                Column.of("seen", DataType.TIMESTAMP),
                Column.of("ok", DataType.BOOLEAN),
                Column.of("score", DataType.DOUBLE),
                Column.of("n", DataType.INTEGER)));
    assertThat(runtime.tableColumns("dim_customer")).isEmpty();
    assertThat(runtime.tableColumns("nothing_here")).isEmpty();
  }

  @Test
  void describesCsvParquetJsonAndInlineSources() throws IOException {
    Path csv =
        Files.writeString(folder.resolve("c.csv"), "id,name,day,amount\n1,a,2020-01-01,1.5\n");
    Path json =
        Files.writeString(
            folder.resolve("c.json"),
            "{\"id\": 1, \"name\": \"a\", \"ok\": true, \"tags\": [1]}\n");
    Path parquet = folder.resolve("c.parquet");
    DuckDbTesting.run(
        runtime,
        "setup",
        DuckDbTesting.sql(
            "COPY (SELECT 1::INTEGER AS id, 2.5::DECIMAL(6,2) AS amount, TIMESTAMP '2020-01-01' AS ts,"
                + " 3::UBIGINT AS big, 'x'::BLOB AS raw) TO '"
                + parquet
                + "' (FORMAT parquet)"));

    assertThat(runtime.describe(files(SourceData.Format.CSV, csv)))
        .containsExactly(
            Column.of("id", DataType.BIGINT),
            Column.of("name", DataType.STRING),
            Column.of("day", DataType.DATE),
            Column.of("amount", DataType.DOUBLE));
    assertThat(runtime.describe(files(SourceData.Format.JSON, json)))
        .containsExactly(
            Column.of("id", DataType.BIGINT),
            Column.of("name", DataType.STRING),
            Column.of("ok", DataType.BOOLEAN),
            Column.of("tags", DataType.STRING));
    assertThat(runtime.describe(files(SourceData.Format.PARQUET, parquet)))
        .containsExactly(
            Column.of("id", DataType.INTEGER),
            Column.of("amount", DataType.decimal(6, 2)),
            Column.of("ts", DataType.TIMESTAMP),
            Column.of("big", DataType.BIGINT),
            Column.of("raw", DataType.STRING));
    assertThat(runtime.describe(new SourceData.InlineRows(List.of("a", "b"), List.of())))
        .containsExactly(Column.of("a", DataType.STRING), Column.of("b", DataType.STRING));
  }

  @Test
  void failsToDescribeAMissingFile() {
    String missing = folder.resolve("gone.parquet").toString();

    assertThatThrownBy(() -> runtime.describe(files(SourceData.Format.PARQUET, Path.of(missing))))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessage("Cannot describe files: file not found: " + missing);
  }

  private static SourceData.Files files(SourceData.Format format, Path path) {
    return new SourceData.Files(format, List.of(path.toString()), Map.of());
  }
}
