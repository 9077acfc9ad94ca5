package dev.conform.runtime.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conform.spi.Column;
import dev.conform.spi.DataType;
import dev.conform.spi.LoadCounts;
import dev.conform.spi.RuntimeFailure;
import dev.conform.spi.SourceData;
import dev.conform.spi.Step.LoadSource;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark loader gives what runtime-jdbc's DuckDB loader gives for the same input: the expected
 * rows, reasons and records here are DuckDB's (DuckDbLoadSourceTest, and DuckDB runs of the other
 * inputs).
 */
class SparkSourceLoaderTest {
  private static final String STAGING = "loader_test_staging";
  private static final String REJECTS = "loader_test_rejects";
  private static final List<Column> CUSTOMER_COLUMNS =
      List.of(
          Column.of("txn_id", DataType.BIGINT),
          Column.of("customer_id", DataType.STRING),
          Column.of("effective_date", DataType.TIMESTAMP));

  private static SparkSession spark;
  private static SparkSourceLoader loader;

  @TempDir Path folder;

  @BeforeAll
  static void startSpark() {
    spark = SharedSpark.session();
    loader = new SparkSourceLoader(spark);
  }

  @AfterEach
  void dropViews() {
    spark.catalog().dropTempView(STAGING);
    spark.catalog().dropTempView(REJECTS);
  }

  private static LoadCounts load(SourceData data, List<Column> columns) {
    return loader.load(
        new LoadSource("load customers", "customers", data, columns, STAGING, REJECTS), rows -> {});
  }

  private static SourceData csv(Path file, String... options) {
    return files(SourceData.Format.CSV, file, options);
  }

  private static SourceData files(SourceData.Format format, Path file, String... options) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < options.length; i += 2) {
      map.put(options[i], options[i + 1]);
    }
    return new SourceData.Files(format, List.of(file.toString()), map);
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(folder.resolve(name), content);
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(SparkSourceLoaderTest.class.getResource("/loader/" + name).toURI());
  }

  /** The rows of a query as canonical text. */
  private static List<List<String>> rows(String sql) {
    List<List<String>> rows = new ArrayList<>();
    for (Row row : spark.sql(sql).collectAsList()) {
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < row.size(); i++) {
        texts.add(SparkTypes.text(row.get(i)));
      }
      rows.add(texts);
    }
    return rows;
  }

  private static List<String> columns(String view) {
    List<String> columns = new ArrayList<>();
    for (StructField field : spark.table(view).schema().fields()) {
      columns.add(field.name() + " " + field.dataType().sql());
    }
    return columns;
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

    LoadCounts counts = load(csv(file), CUSTOMER_COLUMNS);

    assertThat(counts).isEqualTo(new LoadCounts(5, 2));
    assertThat(rows("SELECT * FROM " + STAGING + " ORDER BY txn_id"))
        .containsExactly(
            List.of("1", "c1", "2020-01-01 00:00:00", file.toString()),
            Arrays.asList("4", "c4", null, file.toString()),
            Arrays.asList("5", null, "2020-01-05 08:00:00", file.toString()));
    assertThat(rows("SELECT * FROM " + REJECTS + " ORDER BY _conform_record"))
        .containsExactly(
            List.of(
                file.toString(),
                "column 'effective_date': cannot convert 'abc' to timestamp",
                "txn_id=2, customer_id=c2, effective_date=abc"),
            List.of(
                file.toString(),
                "column 'txn_id': cannot convert 'x' to bigint",
                "txn_id=x, customer_id=c3, effective_date=2020-01-03 10:11:12.5"));
    assertThat(columns(STAGING))
        .containsExactly(
            "txn_id BIGINT",
            "customer_id STRING",
            "effective_date TIMESTAMP_NTZ",
            "_conform_origin STRING");
    assertThat(columns(REJECTS))
        .containsExactly(
            "_conform_origin STRING", "_conform_reason STRING", "_conform_record STRING");
  }

  @Test
  void namesTheFirstFailingColumnWhenSeveralFail() throws IOException {
    Path file = write("c.csv", "txn_id,customer_id,effective_date\n1.5,c1,nope\n");

    load(csv(file), CUSTOMER_COLUMNS);

    assertThat(rows("SELECT _conform_reason FROM " + REJECTS))
        .containsExactly(List.of("column 'txn_id': cannot convert '1.5' to bigint"));
  }

  @Test
  void convertsEveryTypeFromTextAsDuckDbDoes() throws IOException {
    Path file =
        write(
            "every.csv",
            "i,b,d,m,f,dt,ts\n"
                + "1,9000000000,1.5,12.345,true,2020-01-31,2020-01-31 10:11:12.5\n"
                + " 4.0 ,1e3,1e20,7,0,2020/02/29,2020-02-29T23:59:59\n"
                + "-2,-5, 0.1 ,-0.0005,FALSE, 2020-03-01 ,2020-03-01\n"
                + ",,,,,,\n"
                + "1.5,1,1,1,true,2020-01-01,2020-01-01 00:00:00\n"
                + "2,x,1,1,true,2020-01-01,2020-01-01 00:00:00\n"
                + "3,1,1d,1,true,2020-01-01,2020-01-01 00:00:00\n"
                + "4,1,1,\"1,5\",true,2020-01-01,2020-01-01 00:00:00\n"
                + "5,1,1,1,yes,2020-01-01,2020-01-01 00:00:00\n"
                + "6,1,1,1,true,2020-02-30,2020-01-01 00:00:00\n"
                + "7,1,1,1,true,2020-01-01,2020-01-01 10\n"
                + "2147483648,1,1,1,true,2020-01-01,2020-01-01 00:00:00\n");
    List<Column> columns =
        List.of(
            Column.of("i", DataType.INTEGER),
            Column.of("b", DataType.BIGINT),
            Column.of("d", DataType.DOUBLE),
            Column.of("m", DataType.decimal(10, 3)),
            Column.of("f", DataType.BOOLEAN),
            Column.of("dt", DataType.DATE),
            Column.of("ts", DataType.TIMESTAMP));

    LoadCounts counts = load(csv(file), columns);

    assertThat(counts).isEqualTo(new LoadCounts(12, 8));
    assertThat(rows("SELECT i, b, d, m, f, dt, ts FROM " + STAGING + " ORDER BY i NULLS LAST"))
        .containsExactly(
            List.of("-2", "-5", "0.1", "-0.001", "false", "2020-03-01", "2020-03-01 00:00:00"),
            List.of(
                "1", "9000000000", "1.5", "12.345", "true", "2020-01-31", "2020-01-31 10:11:12.5"),
            List.of(
                "4",
                "1000",
                "100000000000000000000",
                "7.000",
                "false",
                "2020-02-29",
                "2020-02-29 23:59:59"),
            Arrays.asList(null, null, null, null, null, null, null));
    String rest = "m=1, f=true, dt=2020-01-01, ts=2020-01-01 00:00:00";
    assertThat(rows("SELECT _conform_reason, _conform_record FROM " + REJECTS + " ORDER BY 1, 2"))
        .containsExactly(
            List.of("column 'b': cannot convert 'x' to bigint", "i=2, b=x, d=1, " + rest),
            List.of("column 'd': cannot convert '1d' to double", "i=3, b=1, d=1d, " + rest),
            List.of(
                "column 'dt': cannot convert '2020-02-30' to date",
                "i=6, b=1, d=1, m=1, f=true, dt=2020-02-30, ts=2020-01-01 00:00:00"),
            List.of(
                "column 'f': cannot convert 'yes' to boolean",
                "i=5, b=1, d=1, m=1, f=yes, dt=2020-01-01, ts=2020-01-01 00:00:00"),
            List.of("column 'i': cannot convert '1.5' to integer", "i=1.5, b=1, d=1, " + rest),
            List.of(
                "column 'i': cannot convert '2147483648' to integer",
                "i=2147483648, b=1, d=1, " + rest),
            List.of(
                "column 'm': cannot convert '1,5' to decimal(10,3)",
                "i=4, b=1, d=1, m=1,5, f=true, dt=2020-01-01, ts=2020-01-01 00:00:00"),
            List.of(
                "column 'ts': cannot convert '2020-01-01 10' to timestamp",
                "i=7, b=1, d=1, m=1, f=true, dt=2020-01-01, ts=2020-01-01 10"));
  }

  @Test
  void honoursHeaderDelimiterAndNullOptions() throws IOException {
    Path file =
        write(
            "typed.csv",
            "1;true;2,5\n" + "2;true;7\n" + "3;0;NA\n" + "4.0;1;8\n" + "5;maybe;1\n" + "6;yes;1\n");
    List<Column> columns =
        List.of(
            Column.of("id", DataType.INTEGER),
            Column.of("flag", DataType.BOOLEAN),
            Column.of("amount", DataType.decimal(5, 2)));

    LoadCounts counts = load(csv(file, "header", "false", "delimiter", ";", "null", "NA"), columns);

    assertThat(counts).isEqualTo(new LoadCounts(6, 3));
    assertThat(rows("SELECT id, flag, amount FROM " + STAGING + " ORDER BY id"))
        .containsExactly(
            List.of("2", "true", "7.00"),
            Arrays.asList("3", "false", null),
            List.of("4", "true", "8.00"));
    assertThat(rows("SELECT _conform_reason FROM " + REJECTS + " ORDER BY _conform_reason"))
        .containsExactly(
            List.of("column 'amount': cannot convert '2,5' to decimal(5,2)"),
            List.of("column 'flag': cannot convert 'maybe' to boolean"),
            List.of("column 'flag': cannot convert 'yes' to boolean"));
  }

  @Test
  void appliesDuckDbDateAndTimestampFormats() throws IOException {
    Path numbers =
        write("f.csv", "d,t\n31/12/2020,2020.12.31 23:59\n2020-12-31,x\n1/2/2021,2021.1.2 0:05\n");
    Path names =
        write(
            "names.csv",
            "when,at\n"
                + "31 Dec 2020,12/31/2020 11:59 PM\n"
                + "01 Jan 2021,1/1/2021 12:00 AM\n"
                + "31 Sept 2020,12/31/2020 13:00 PM\n");

    LoadCounts counts =
        load(
            csv(numbers, "date_format", "%d/%m/%Y", "timestamp_format", "%Y.%m.%d %H:%M"),
            List.of(Column.of("d", DataType.DATE), Column.of("t", DataType.TIMESTAMP)));

    assertThat(counts).isEqualTo(new LoadCounts(3, 1));
    assertThat(rows("SELECT d, t FROM " + STAGING + " ORDER BY d"))
        .containsExactly(
            List.of("2020-12-31", "2020-12-31 23:59:00"),
            List.of("2021-02-01", "2021-01-02 00:05:00"));
    assertThat(rows("SELECT _conform_reason FROM " + REJECTS))
        .containsExactly(List.of("column 'd': cannot convert '2020-12-31' to date"));

    load(
        csv(names, "dateformat", "%d %b %Y", "timestampformat", "%m/%d/%Y %I:%M %p"),
        List.of(Column.of("when", DataType.DATE), Column.of("at", DataType.TIMESTAMP)));

    assertThat(rows("SELECT `when`, at FROM " + STAGING + " ORDER BY 1"))
        .containsExactly(
            List.of("2020-12-31", "2020-12-31 23:59:00"),
            List.of("2021-01-01", "2021-01-01 00:00:00"));
    assertThat(rows("SELECT _conform_record FROM " + REJECTS))
        .containsExactly(List.of("when=31 Sept 2020, at=12/31/2020 13:00 PM"));
  }

  @Test
  void readsSeveralFilesAndRecordsEachRowsFile() throws IOException {
    Path first = write("a.csv", "txn_id,customer_id,effective_date\n1,c1,2020-01-01\n");
    Path second = write("b c.csv", "txn_id,customer_id,effective_date\n2,c2,2020-01-02\n");

    LoadCounts counts =
        load(
            new SourceData.Files(
                SourceData.Format.CSV, List.of(first.toString(), second.toString()), Map.of()),
            CUSTOMER_COLUMNS);

    assertThat(counts.rowsRead()).isEqualTo(2);
    assertThat(rows("SELECT txn_id, _conform_origin FROM " + STAGING + " ORDER BY txn_id"))
        .containsExactly(List.of("1", first.toString()), List.of("2", second.toString()));
  }

  @Test
  void readsParquetWithTheDeclaredTypesWithoutConverting() throws URISyntaxException {
    Path file = resource("typed.parquet");

    LoadCounts counts =
        load(
            files(SourceData.Format.PARQUET, file),
            List.of(
                Column.of("txn_id", DataType.BIGINT),
                Column.of("Customer_ID", DataType.STRING),
                Column.of("effective_date", DataType.DATE),
                Column.of("changed_at", DataType.TIMESTAMP)));

    assertThat(counts).isEqualTo(new LoadCounts(2, 0));
    assertThat(rows("SELECT * FROM " + STAGING + " ORDER BY txn_id"))
        .containsExactly(
            List.of("1", "c1", "2020-01-01", "2020-01-01 10:11:12.5", file.toString()),
            Arrays.asList("2", null, null, null, file.toString()));
    assertThat(columns(STAGING))
        .containsExactly(
            "txn_id BIGINT",
            "Customer_ID STRING",
            "effective_date DATE",
            "changed_at TIMESTAMP_NTZ",
            "_conform_origin STRING");
    assertThat(spark.table(STAGING).queryExecution().optimizedPlan().toString())
        .as("the staging view reads the file as it is")
        .doesNotContainIgnoringCase("cast");
    assertThat(spark.table(STAGING).groupBy().count().queryExecution().executedPlan().toString())
        .as("counting reads no column")
        .contains("ReadSchema: struct<>");
    assertThat(rows("SELECT * FROM " + REJECTS)).isEmpty();
    assertThat(columns(REJECTS))
        .containsExactly(
            "_conform_origin STRING", "_conform_reason STRING", "_conform_record STRING");
  }

  @Test
  void loadsParquetConvertingFromTheFilesTypes() throws URISyntaxException {
    Path file = resource("customers.parquet");

    LoadCounts counts =
        load(
            files(SourceData.Format.PARQUET, file),
            List.of(
                Column.of("txn_id", DataType.INTEGER),
                Column.of("customer_id", DataType.STRING),
                Column.of("effective_date", DataType.DATE),
                Column.of("score", DataType.decimal(4, 1))));

    assertThat(counts).isEqualTo(new LoadCounts(3, 1));
    assertThat(
            rows(
                "SELECT txn_id, customer_id, effective_date, score FROM "
                    + STAGING
                    + " ORDER BY 1"))
        .containsExactly(
            List.of("1", "c1", "2020-01-01", "1.5"), Arrays.asList("3", null, null, null));
    assertThat(rows("SELECT * FROM " + REJECTS))
        .containsExactly(
            List.of(
                file.toString(),
                "column 'effective_date': cannot convert 'never' to date",
                "txn_id=2, customer_id=c2, effective_date=never, score=2.0"));
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

    assertThat(load(files(SourceData.Format.JSON, lines), columns)).isEqualTo(new LoadCounts(2, 1));
    assertThat(rows("SELECT id, name, since FROM " + STAGING))
        .containsExactly(List.of("1", "a", "2020-01-01"));
    assertThat(rows("SELECT _conform_reason, _conform_record FROM " + REJECTS))
        .containsExactly(
            List.of("column 'id': cannot convert 'x' to bigint", "id=x, name=b, since=2020-01-02"));

    assertThat(load(files(SourceData.Format.JSON, array), columns)).isEqualTo(new LoadCounts(1, 1));
    assertThat(rows("SELECT _conform_reason, _conform_record FROM " + REJECTS))
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
                Arrays.asList(null, "c2", "2"),
                List.of("2020-13-01", "c3", "3"),
                List.of("", "c4", "4")));

    LoadCounts counts = load(rows, CUSTOMER_COLUMNS);

    assertThat(counts).isEqualTo(new LoadCounts(4, 1));
    assertThat(rows("SELECT * FROM " + STAGING + " ORDER BY txn_id"))
        .containsExactly(
            List.of("1", "c1", "2020-01-01 00:00:00", "row 1"),
            Arrays.asList("2", "c2", null, "row 2"),
            Arrays.asList("4", "c4", null, "row 4"));
    assertThat(rows("SELECT * FROM " + REJECTS))
        .containsExactly(
            List.of(
                "row 3",
                "column 'effective_date': cannot convert '2020-13-01' to timestamp",
                "txn_id=3, customer_id=c3, effective_date=2020-13-01"));
  }

  @Test
  void loadsAnEmptySourceIntoEmptyViews() throws IOException {
    Path file = write("empty.csv", "txn_id,customer_id,effective_date\n");

    assertThat(load(csv(file), CUSTOMER_COLUMNS)).isEqualTo(new LoadCounts(0, 0));
    assertThat(rows("SELECT count(*) FROM " + STAGING)).containsExactly(List.of("0"));
    assertThat(columns(STAGING)).hasSize(4);
  }

  @Test
  void failsWhenAFileIsMissing() {
    String missing = folder.resolve("nope.csv").toString();

    assertThatThrownBy(
            () ->
                load(
                    new SourceData.Files(SourceData.Format.CSV, List.of(missing), Map.of()),
                    CUSTOMER_COLUMNS))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessage("Cannot read source 'customers': file not found: " + missing);
  }

  @Test
  void failsWhenADeclaredColumnIsMissingNamingTheFile() throws IOException {
    Path good = write("good.csv", "txn_id,customer_id,effective_date\n1,c1,2020-01-01\n");
    Path bad = write("bad.csv", "txn_id,customer,effective_date\n1,c1,2020-01-01\n");

    assertThatThrownBy(() -> load(csv(bad), CUSTOMER_COLUMNS))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessage(
            "Cannot read source 'customers': column 'customer_id' is missing in file " + bad);
    assertThatThrownBy(
            () ->
                load(
                    new SourceData.Files(
                        SourceData.Format.CSV, List.of(good.toString(), bad.toString()), Map.of()),
                    CUSTOMER_COLUMNS))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessage(
            "Cannot read source 'customers': column 'customer_id' is missing in file " + bad);
    assertThatThrownBy(
            () ->
                load(
                    new SourceData.InlineRows(List.of("txn_id"), List.of(List.of("1"))),
                    CUSTOMER_COLUMNS))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessage(
            "Cannot read source 'customers': column 'customer_id' is missing in the inline rows");
  }

  @Test
  void rejectsUnknownAndInvalidOptions() throws IOException {
    Path file = write("o.csv", "txn_id\n1\n");
    List<Column> columns = List.of(Column.of("txn_id", DataType.BIGINT));

    assertThatThrownBy(() -> load(csv(file, "delimeter", ";"), columns))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageStartingWith(
            "Cannot read source 'customers': unknown csv option 'delimeter' (known: [header,"
                + " delimiter,");
    assertThatThrownBy(() -> load(csv(file, "header", "maybe"), columns))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessage(
            "Cannot read source 'customers': invalid csv option header: 'maybe' (use true or"
                + " false)");
    assertThatThrownBy(() -> load(csv(file, "skip", "-1"), columns))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessage(
            "Cannot read source 'customers': invalid csv option skip: '-1' (use a whole number, 0"
                + " or more)");
  }

  @Test
  void describesCsvParquetAndJsonAsDuckDbDoes() throws IOException, URISyntaxException {
    Path csv =
        write(
            "describe.csv",
            "id,name,amount,active,since,seen\n"
                + "1,a,1.5,true,2020-01-01,2020-01-01 10:00:00\n"
                + "2,b,2,false,2020-01-02,2020-01-02 11:00:00\n");
    Path json =
        write(
            "describe.json",
            "{\"id\": 1, \"name\": \"a\", \"score\": 1.5, \"tags\": [\"x\"], \"since\": \"2020-01-01\"}\n"
                + "{\"id\": 2, \"name\": null, \"score\": 2, \"extra\": {\"q\": 1},"
                + " \"since\": \"2020-01-02\"}\n");

    assertThat(loader.describe(csv(csv)))
        .containsExactly(
            Column.of("id", DataType.BIGINT),
            Column.of("name", DataType.STRING),
            Column.of("amount", DataType.DOUBLE),
            Column.of("active", DataType.BOOLEAN),
            Column.of("since", DataType.DATE),
            Column.of("seen", DataType.TIMESTAMP));
    assertThat(loader.describe(files(SourceData.Format.PARQUET, resource("typed.parquet"))))
        .containsExactly(
            Column.of("txn_id", DataType.BIGINT),
            Column.of("customer_id", DataType.STRING),
            Column.of("effective_date", DataType.DATE),
            Column.of("changed_at", DataType.TIMESTAMP));
    assertThat(loader.describe(files(SourceData.Format.JSON, json)))
        .containsExactly(
            Column.of("id", DataType.BIGINT),
            Column.of("name", DataType.STRING),
            Column.of("score", DataType.DOUBLE),
            Column.of("tags", DataType.STRING),
            Column.of("since", DataType.DATE),
            Column.of("extra", DataType.STRING));
    assertThatThrownBy(() -> loader.describe(csv(folder.resolve("none.csv"))))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessage("Cannot describe files: file not found: " + folder.resolve("none.csv"));
  }

  @Test
  void mapsTypesAndRendersValuesAsCanonicalText() {
    assertThat(SparkTypes.typeOf(DataTypes.ShortType)).isEqualTo(DataType.INTEGER);
    assertThat(SparkTypes.typeOf(DataTypes.createDecimalType(12, 2)))
        .isEqualTo(DataType.decimal(12, 2));
    assertThat(SparkTypes.typeOf(DataTypes.TimestampNTZType)).isEqualTo(DataType.TIMESTAMP);
    assertThat(SparkTypes.typeOf(DataTypes.createArrayType(DataTypes.IntegerType)))
        .isEqualTo(DataType.STRING);
    assertThat(SparkTypes.text(Timestamp.from(Instant.parse("2020-01-01T10:11:12.5Z"))))
        .as("in UTC, the session's zone, whatever the JVM's")
        .isEqualTo("2020-01-01 10:11:12.5");
    assertThat(SparkTypes.text(LocalDateTime.of(2020, 1, 1, 0, 0)))
        .isEqualTo("2020-01-01 00:00:00");
    assertThat(SparkTypes.text(1.0)).isEqualTo("1");
    assertThat(SparkTypes.text(null)).isNull();
    assertThat(SparkTypes.floatingText(12345678.9)).isEqualTo("12345678.9");
    assertThat(SparkTypes.floatingText(1e20)).isEqualTo("1e+20");
    assertThat(SparkTypes.floatingText(1.5e-7)).isEqualTo("1.5e-07");
    assertThat(SparkTypes.floatingText(2.0)).isEqualTo("2.0");
  }
}
