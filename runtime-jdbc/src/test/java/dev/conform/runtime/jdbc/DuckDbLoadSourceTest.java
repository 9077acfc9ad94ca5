package dev.conform.runtime.jdbc;

import static dev.conform.runtime.jdbc.DuckDbTesting.run;
import static dev.conform.runtime.jdbc.DuckDbTesting.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conform.spi.Column;
import dev.conform.spi.ConformRuntime;
import dev.conform.spi.DataType;
import dev.conform.spi.Metric;
import dev.conform.spi.ModelResult;
import dev.conform.spi.RuntimeFailure;
import dev.conform.spi.SourceData;
import dev.conform.spi.Step.LoadSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbLoadSourceTest {
  private static final List<Column> CUSTOMER_COLUMNS =
      List.of(
          Column.of("txn_id", DataType.BIGINT),
          Column.of("customer_id", DataType.STRING),
          Column.of("effective_date", DataType.TIMESTAMP));

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

  private static LoadSource load(SourceData data, List<Column> columns) {
    return new LoadSource("load customers", "customers", data, columns, "stg", "rej");
  }

  /** Loads, then copies staging and rejects into tables that outlive the run. */
  private ModelResult loadAndKeep(SourceData data, List<Column> columns) {
    return run(
            runtime,
            "dim_customer",
            load(data, columns),
            sql("CREATE TABLE staged AS SELECT * FROM stg"),
            sql("CREATE TABLE rejected AS SELECT * FROM rej"))
        .models()
        .get(0);
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(folder.resolve(name), content);
  }

  private List<List<String>> rows(String sql) {
    return runtime.query(sql, -1).rows();
  }

  @Test
  void loadsCsvAndSendsUnconvertibleRowsToRejects() throws IOException {
    Path file =
        write(
            "customers.csv",
            "txn_id,customer_id,effective_date\n"
                + "1,c1,2020-01-01\n"
                + "2,c2,abc\n"
                + "x,c3,2020-01-03 10:11:12.5\n"
                + "4,c4,\n"
                + "5,,2020-01-05 08:00:00\n");

    ModelResult result =
        loadAndKeep(
            new SourceData.Files(SourceData.Format.CSV, List.of(file.toString()), Map.of()),
            CUSTOMER_COLUMNS);

    assertThat(result.count(Metric.ROWS_READ)).isEqualTo(5);
    assertThat(result.count(Metric.ROWS_REJECTED)).isEqualTo(2);
    assertThat(rows("SELECT * FROM staged ORDER BY txn_id"))
        .containsExactly(
            List.of("1", "c1", "2020-01-01 00:00:00", file.toString()),
            java.util.Arrays.asList("4", "c4", null, file.toString()),
            java.util.Arrays.asList("5", null, "2020-01-05 08:00:00", file.toString()));
    assertThat(rows("SELECT * FROM rejected ORDER BY _conform_record"))
        .containsExactly(
            List.of(
                file.toString(),
                "column 'effective_date': cannot convert 'abc' to timestamp",
                "txn_id=2, customer_id=c2, effective_date=abc"),
            List.of(
                file.toString(),
                "column 'txn_id': cannot convert 'x' to bigint",
                "txn_id=x, customer_id=c3, effective_date=2020-01-03 10:11:12.5"));
    assertThat(runtime.tableColumns("staged"))
        .contains(
            List.of(
                Column.of("txn_id", DataType.BIGINT),
                Column.of("customer_id", DataType.STRING),
                Column.of("effective_date", DataType.TIMESTAMP),
                Column.of("_conform_origin", DataType.STRING)));
    assertThat(runtime.tableColumns("rejected"))
        .contains(
            List.of(
                Column.of("_conform_origin", DataType.STRING),
                Column.of("_conform_reason", DataType.STRING),
                Column.of("_conform_record", DataType.STRING)));
  }

  @Test
  void namesTheFirstFailingColumnWhenSeveralFail() throws IOException {
    Path file = write("c.csv", "txn_id,customer_id,effective_date\n1.5,c1,nope\n");

    loadAndKeep(
        new SourceData.Files(SourceData.Format.CSV, List.of(file.toString()), Map.of()),
        CUSTOMER_COLUMNS);

    assertThat(rows("SELECT _conform_reason FROM rejected"))
        .containsExactly(List.of("column 'txn_id': cannot convert '1.5' to bigint"));
  }

  @Test
  void convertsEveryTypeFromTextAndHonoursCsvOptions() throws IOException {
    Path file =
        write(
            "typed.csv",
            "1;true;2,5\n" + "2;true;7\n" + "3;0;NA\n" + "4.0;1;8\n" + "5;maybe;1\n" + "6;yes;1\n");
    List<Column> columns =
        List.of(
            Column.of("id", DataType.INTEGER),
            Column.of("flag", DataType.BOOLEAN),
            Column.of("amount", DataType.decimal(5, 2)));
    Map<String, String> options = Map.of("header", "false", "delimiter", ";", "null", "NA");

    ModelResult result =
        loadAndKeep(
            new SourceData.Files(SourceData.Format.CSV, List.of(file.toString()), options),
            columns);

    assertThat(result.count(Metric.ROWS_READ)).isEqualTo(6);
    assertThat(result.count(Metric.ROWS_REJECTED)).isEqualTo(3);
    assertThat(rows("SELECT id, flag, amount FROM staged ORDER BY id"))
        .containsExactly(
            List.of("2", "true", "7.00"),
            java.util.Arrays.asList("3", "false", null),
            List.of("4", "true", "8.00"));
    assertThat(rows("SELECT _conform_reason FROM rejected ORDER BY _conform_reason"))
        .containsExactly(
            List.of("column 'amount': cannot convert '2,5' to decimal(5,2)"),
            List.of("column 'flag': cannot convert 'maybe' to boolean"),
            List.of("column 'flag': cannot convert 'yes' to boolean"));
  }

  @Test
  void appliesDateAndTimestampFormats() throws IOException {
    Path file = write("f.csv", "d,t\n31/12/2020,2020.12.31 23:59\n2020-12-31,x\n");
    Map<String, String> options =
        Map.of("date_format", "%d/%m/%Y", "timestamp_format", "%Y.%m.%d %H:%M");

    ModelResult result =
        loadAndKeep(
            new SourceData.Files(SourceData.Format.CSV, List.of(file.toString()), options),
            List.of(Column.of("d", DataType.DATE), Column.of("t", DataType.TIMESTAMP)));

    assertThat(result.count(Metric.ROWS_REJECTED)).isEqualTo(1);
    assertThat(rows("SELECT d, t FROM staged"))
        .containsExactly(List.of("2020-12-31", "2020-12-31 23:59:00"));
    assertThat(rows("SELECT _conform_reason FROM rejected"))
        .containsExactly(List.of("column 'd': cannot convert '2020-12-31' to date"));
  }

  @Test
  void readsSeveralFilesAndRecordsEachRowsFile() throws IOException {
    Path first = write("a.csv", "txn_id,customer_id,effective_date\n1,c1,2020-01-01\n");
    Path second = write("b.csv", "txn_id,customer_id,effective_date\n2,c2,2020-01-02\n");

    ModelResult result =
        loadAndKeep(
            new SourceData.Files(
                SourceData.Format.CSV, List.of(first.toString(), second.toString()), Map.of()),
            CUSTOMER_COLUMNS);

    assertThat(result.count(Metric.ROWS_READ)).isEqualTo(2);
    assertThat(rows("SELECT txn_id, _conform_origin FROM staged ORDER BY txn_id"))
        .containsExactly(List.of("1", first.toString()), List.of("2", second.toString()));
  }

  @Test
  void loadsParquetConvertingFromTheFilesTypes() throws IOException {
    Path file = folder.resolve("customers.parquet");
    run(
        runtime,
        "setup",
        sql(
            "COPY (SELECT * FROM (VALUES (1::BIGINT, 'c1', '2020-01-01', 1.5::DOUBLE),"
                + " (2::BIGINT, 'c2', 'never', 2.0::DOUBLE), (3::BIGINT, NULL, NULL, NULL))"
                + " AS t(txn_id, customer_id, effective_date, score)) TO '"
                + file
                + "' (FORMAT parquet)"));

    ModelResult result =
        loadAndKeep(
            new SourceData.Files(SourceData.Format.PARQUET, List.of(file.toString()), Map.of()),
            List.of(
                Column.of("txn_id", DataType.INTEGER),
                Column.of("customer_id", DataType.STRING),
                Column.of("effective_date", DataType.DATE),
                Column.of("score", DataType.decimal(4, 1))));

    assertThat(result.count(Metric.ROWS_READ)).isEqualTo(3);
    assertThat(result.count(Metric.ROWS_REJECTED)).isEqualTo(1);
    assertThat(rows("SELECT txn_id, customer_id, effective_date, score FROM staged ORDER BY 1"))
        .containsExactly(
            List.of("1", "c1", "2020-01-01", "1.5"),
            java.util.Arrays.asList("3", null, null, null));
    assertThat(rows("SELECT * FROM rejected"))
        .containsExactly(
            List.of(
                file.toString(),
                "column 'effective_date': cannot convert 'never' to date",
                "txn_id=2, customer_id=c2, effective_date=never, score=2.0"));
  }

  @Test
  void readsParquetThatNeedsNoFailingConversionThroughAViewDroppedAtTheEnd() throws IOException {
    Path file = folder.resolve("typed.parquet");
    run(
        runtime,
        "setup",
        sql(
            "COPY (SELECT * FROM (VALUES (1::BIGINT, 'c1', DATE '2020-01-01'),"
                + " (2::BIGINT, NULL, NULL)) AS t(txn_id, customer_id, effective_date)) TO '"
                + file
                + "' (FORMAT parquet)"));

    ModelResult result =
        run(
                runtime,
                "dim_customer",
                load(
                    new SourceData.Files(
                        SourceData.Format.PARQUET, List.of(file.toString()), Map.of()),
                    List.of(
                        Column.of("txn_id", DataType.BIGINT),
                        Column.of("customer_id", DataType.STRING),
                        Column.of("effective_date", DataType.DATE))),
                sql(
                    "CREATE TABLE kinds AS SELECT view_name FROM duckdb_views()"
                        + " WHERE temporary AND view_name = 'stg'"),
                sql("CREATE TABLE staged AS SELECT * FROM stg"))
            .models()
            .get(0);

    assertThat(result.count(Metric.ROWS_READ)).isEqualTo(2);
    assertThat(result.count(Metric.ROWS_REJECTED)).isZero();
    assertThat(rows("SELECT * FROM kinds")).containsExactly(List.of("stg"));
    assertThat(
            rows(
                "SELECT txn_id, customer_id, effective_date, _conform_origin FROM staged ORDER BY 1"))
        .containsExactly(
            List.of("1", "c1", "2020-01-01", file.toString()),
            java.util.Arrays.asList("2", null, null, file.toString()));
    assertThat(
            rows(
                "SELECT count(*) FROM (SELECT table_name FROM duckdb_tables() WHERE temporary"
                    + " UNION ALL SELECT view_name FROM duckdb_views() WHERE temporary AND NOT internal)"))
        .as("the run's temporary tables and views are gone")
        .containsExactly(List.of("0"));
  }

  @Test
  void loadsNewlineDelimitedAndArrayJson() throws IOException {
    Path lines =
        write(
            "a.json",
            "{\"id\": 1, \"name\": \"a\", \"since\": \"2020-01-01\", \"extra\": {\"q\": 1}}\n"
                + "{\"id\": \"x\", \"name\": \"b\", \"since\": \"2020-01-02\"}\n");
    Path array = write("b.json", "[{\"id\": 3, \"name\": null, \"since\": \"soon\"}]");
    List<Column> columns =
        List.of(
            Column.of("id", DataType.BIGINT),
            Column.of("name", DataType.STRING),
            Column.of("since", DataType.DATE));

    ModelResult lineResult =
        loadAndKeep(
            new SourceData.Files(SourceData.Format.JSON, List.of(lines.toString()), Map.of()),
            columns);
    assertThat(lineResult.count(Metric.ROWS_READ)).isEqualTo(2);
    assertThat(lineResult.count(Metric.ROWS_REJECTED)).isEqualTo(1);
    assertThat(rows("SELECT id, name, since FROM staged"))
        .containsExactly(List.of("1", "a", "2020-01-01"));
    assertThat(rows("SELECT _conform_reason, _conform_record FROM rejected"))
        .containsExactly(
            List.of("column 'id': cannot convert 'x' to bigint", "id=x, name=b, since=2020-01-02"));

    run(runtime, "cleanup", sql("DROP TABLE staged"), sql("DROP TABLE rejected"));
    ModelResult arrayResult =
        loadAndKeep(
            new SourceData.Files(SourceData.Format.JSON, List.of(array.toString()), Map.of()),
            columns);
    assertThat(arrayResult.count(Metric.ROWS_READ)).isEqualTo(1);
    assertThat(arrayResult.count(Metric.ROWS_REJECTED)).isEqualTo(1);
    assertThat(rows("SELECT _conform_reason, _conform_record FROM rejected"))
        .containsExactly(
            List.of("column 'since': cannot convert 'soon' to date", "id=3, name=, since=soon"));
  }

  @Test
  void loadsInlineRowsWithRowNumbersAsOrigin() {
    SourceData rows =
        new SourceData.InlineRows(
            List.of("effective_date", "customer_id", "txn_id"),
            List.of(
                List.of("2020-01-01", "c1", "1"),
                java.util.Arrays.asList(null, "c2", "2"),
                List.of("2020-13-01", "c3", "3"),
                List.of("", "c4", "4")));

    ModelResult result = loadAndKeep(rows, CUSTOMER_COLUMNS);

    assertThat(result.count(Metric.ROWS_READ)).isEqualTo(4);
    assertThat(result.count(Metric.ROWS_REJECTED)).isEqualTo(1);
    assertThat(rows("SELECT * FROM staged ORDER BY txn_id"))
        .containsExactly(
            List.of("1", "c1", "2020-01-01 00:00:00", "row 1"),
            java.util.Arrays.asList("2", "c2", null, "row 2"),
            java.util.Arrays.asList("4", "c4", null, "row 4"));
    assertThat(rows("SELECT * FROM rejected"))
        .containsExactly(
            List.of(
                "row 3",
                "column 'effective_date': cannot convert '2020-13-01' to timestamp",
                "txn_id=3, customer_id=c3, effective_date=2020-13-01"));
  }

  @Test
  void createsEmptyStagingAndRejectTablesForAnEmptySource() throws IOException {
    Path file = write("empty.csv", "txn_id,customer_id,effective_date\n");

    ModelResult result =
        loadAndKeep(
            new SourceData.Files(SourceData.Format.CSV, List.of(file.toString()), Map.of()),
            CUSTOMER_COLUMNS);

    assertThat(result.count(Metric.ROWS_READ)).isZero();
    assertThat(result.count(Metric.ROWS_REJECTED)).isZero();
    assertThat(rows("SELECT count(*) FROM staged")).containsExactly(List.of("0"));
    assertThat(rows("SELECT count(*) FROM rejected")).containsExactly(List.of("0"));
    assertThat(runtime.tableColumns("staged").orElseThrow()).hasSize(4);
  }

  @Test
  void createsAnEmptyRejectTableWhenNoColumnCanFail() {
    SourceData rows = new SourceData.InlineRows(List.of("name"), List.of(List.of("a")));

    ModelResult result = loadAndKeep(rows, List.of(Column.of("name", DataType.STRING)));

    assertThat(result.count(Metric.ROWS_REJECTED)).isZero();
    assertThat(rows("SELECT * FROM staged")).containsExactly(List.of("a", "row 1"));
    assertThat(runtime.tableColumns("rejected").orElseThrow())
        .extracting(Column::name)
        .containsExactly("_conform_origin", "_conform_reason", "_conform_record");
  }

  @Test
  void failsWhenAFileIsMissing() {
    String missing = folder.resolve("nope.csv").toString();

    assertThatThrownBy(
            () ->
                run(
                    runtime,
                    "dim_customer",
                    load(
                        new SourceData.Files(SourceData.Format.CSV, List.of(missing), Map.of()),
                        CUSTOMER_COLUMNS)))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessage("Cannot read source 'customers': file not found: " + missing)
        .satisfies(
            e -> {
              RuntimeFailure failure = (RuntimeFailure) e;
              assertThat(failure.model()).contains("dim_customer");
              assertThat(failure.step()).contains("load customers");
            });
  }

  @Test
  void failsWhenADeclaredColumnIsMissingNamingTheFile() throws IOException {
    Path bad = write("bad.csv", "txn_id,customer,effective_date\n1,c1,2020-01-01\n");

    assertThatThrownBy(
            () ->
                run(
                    runtime,
                    "dim_customer",
                    load(
                        new SourceData.Files(
                            SourceData.Format.CSV, List.of(bad.toString()), Map.of()),
                        CUSTOMER_COLUMNS)))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessage(
            "Cannot read source 'customers': column 'customer_id' is missing in file " + bad);
  }

  @Test
  void failsWhenALaterFileLacksAColumnTheFirstHas() throws IOException {
    Path good = write("good.csv", "txn_id,customer_id,effective_date\n1,c1,2020-01-01\n");
    Path bad = write("bad.csv", "txn_id,customer,effective_date\n1,c1,2020-01-01\n");

    assertThatThrownBy(
            () ->
                run(
                    runtime,
                    "dim_customer",
                    load(
                        new SourceData.Files(
                            SourceData.Format.CSV,
                            List.of(good.toString(), bad.toString()),
                            Map.of()),
                        CUSTOMER_COLUMNS)))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageStartingWith("Cannot run model 'dim_customer', step 'load customers': ")
        .hasMessageContaining("\"customer_id\"")
        .hasMessageContaining("could not be found in file \"" + bad + "\"");
  }

  @Test
  void failsWhenAnInlineColumnIsMissing() {
    SourceData rows = new SourceData.InlineRows(List.of("txn_id"), List.of(List.of("1")));

    assertThatThrownBy(() -> run(runtime, "dim_customer", load(rows, CUSTOMER_COLUMNS)))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessage(
            "Cannot read source 'customers': column 'customer_id' is missing in the inline rows");
  }

  @Test
  void rejectsUnknownFormatOptions() throws IOException {
    Path file = write("o.csv", "txn_id\n1\n");

    assertThatThrownBy(
            () ->
                run(
                    runtime,
                    "dim_customer",
                    load(
                        new SourceData.Files(
                            SourceData.Format.CSV,
                            List.of(file.toString()),
                            Map.of("delimeter", ";")),
                        List.of(Column.of("txn_id", DataType.BIGINT)))))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageStartingWith(
            "Cannot read source 'customers': unknown csv option 'delimeter' (known: [header, delimiter,");
  }
}
