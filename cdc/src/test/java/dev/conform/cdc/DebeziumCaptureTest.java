package dev.conform.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conform.dsl.CdcSpec;
import dev.conform.dsl.ColumnSpec;
import dev.conform.dsl.Named;
import dev.conform.dsl.Position;
import dev.conform.dsl.SourceSpec;
import dev.conform.spi.Column;
import dev.conform.spi.DataType;
import dev.conform.spi.SourceData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Debezium change events in files, in the shapes of the PostgreSQL and MySQL connectors. */
class DebeziumCaptureTest {
  /** The value schema of table billing as the PostgreSQL connector describes it. */
  private static final String BILLING_VALUE =
      """
      {"type":"struct","optional":true,"name":"shop.public.billing.Value","fields":[
       {"type":"int32","optional":false,"field":"id"},
       {"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal",
        "parameters":{"scale":"2","connect.decimal.precision":"10"},"field":"amount"},
       {"type":"int32","optional":true,"name":"io.debezium.time.Date","field":"due"},
       {"type":"int64","optional":true,"name":"io.debezium.time.MicroTimestamp","field":"paid_at"},
       {"type":"string","optional":true,"name":"io.debezium.time.ZonedTimestamp","field":"updated"},
       {"type":"int64","optional":true,"name":"io.debezium.time.MicroTime","field":"cutoff"},
       {"type":"struct","optional":true,"name":"io.debezium.data.VariableScaleDecimal",
        "fields":[{"type":"int32","field":"scale"},{"type":"bytes","field":"value"}],"field":"rate"},
       {"type":"boolean","optional":true,"field":"settled"}]}"""
          .replace("\n", "");

  private static final String ENVELOPE_SCHEMA =
      "{\"type\":\"struct\",\"name\":\"shop.public.billing.Envelope\",\"fields\":["
          + BILLING_VALUE.replaceFirst("\\{", "{\"field\":\"before\",")
          + ","
          + BILLING_VALUE.replaceFirst("\\{", "{\"field\":\"after\",")
          + ",{\"type\":\"struct\",\"field\":\"source\",\"fields\":[]},"
          + "{\"type\":\"string\",\"field\":\"op\"},{\"type\":\"int64\",\"field\":\"ts_ms\"}]}";

  @TempDir Path folder;

  @Test
  void readsPostgresqlEventsWithSchemasConvertingDebeziumEncodings() throws Exception {
    String row1 =
        "{\"id\":1,\"amount\":\"AeI6\",\"due\":20468,\"paid_at\":1768473000123456,"
            + "\"updated\":\"2026-01-15T12:30:00.5+02:00\",\"cutoff\":37800000000,"
            + "\"rate\":{\"scale\":3,\"value\":\"EtaH\"},\"settled\":true}";
    String row1Paid =
        "{\"id\":1,\"amount\":\"/gw=\",\"due\":null,\"paid_at\":null,\"updated\":null,"
            + "\"cutoff\":null,\"rate\":null,\"settled\":false}";
    Path file =
        write(
            "billing-1.json",
            withSchema(pg("r", "null", row1, 1767225600000L, null, 100)),
            withSchema(pg("u", row1, row1Paid, 1767225601000L, 200L, 300)),
            "",
            withSchema(pg("d", "{\"id\":1}", "null", 1767225602500L, 400L, 500)),
            "{\"schema\":null,\"payload\":null}",
            withSchema(
                pg("c", "null", row1.replace("\"id\":1", "\"id\":2"), 1767225603000L, 600L, 700)));
    DebeziumCapture capture = capture(List.of(file), List.of());

    assertThat(capture.describe())
        .containsExactly(
            Column.of("id", DataType.INTEGER),
            Column.of("amount", DataType.decimal(10, 2)),
            Column.of("due", DataType.DATE),
            Column.of("paid_at", DataType.TIMESTAMP),
            Column.of("updated", DataType.TIMESTAMP),
            Column.of("cutoff", DataType.STRING),
            Column.of("rate", DataType.decimal(38, 10)),
            Column.of("settled", DataType.BOOLEAN));
    assertThat(land(capture, 4))
        .containsExactly(
            "{\"id\":\"1\",\"amount\":\"1234.50\",\"due\":\"2026-01-15\","
                + "\"paid_at\":\"2026-01-15 10:30:00.123456\",\"updated\":\"2026-01-15 10:30:00.5\","
                + "\"cutoff\":\"10:30:00\",\"rate\":\"1234.567\",\"settled\":\"true\","
                + "\"_cdc_op\":\"insert\",\"_cdc_at\":\"2026-01-01 00:00:00.000000\","
                + "\"_cdc_position\":\"100\"}",
            "{\"id\":\"1\",\"amount\":\"-5.00\",\"due\":null,\"paid_at\":null,\"updated\":null,"
                + "\"cutoff\":null,\"rate\":null,\"settled\":\"false\",\"_cdc_op\":\"update\","
                + "\"_cdc_at\":\"2026-01-01 00:00:01.000000\","
                + "\"_cdc_position\":\"20000000000000000000300\"}",
            "{\"id\":\"1\",\"amount\":null,\"due\":null,\"paid_at\":null,\"updated\":null,"
                + "\"cutoff\":null,\"rate\":null,\"settled\":null,\"_cdc_op\":\"delete\","
                + "\"_cdc_at\":\"2026-01-01 00:00:02.500000\","
                + "\"_cdc_position\":\"40000000000000000000500\"}",
            "{\"id\":\"2\",\"amount\":\"1234.50\",\"due\":\"2026-01-15\","
                + "\"paid_at\":\"2026-01-15 10:30:00.123456\",\"updated\":\"2026-01-15 10:30:00.5\","
                + "\"cutoff\":\"10:30:00\",\"rate\":\"1234.567\",\"settled\":\"true\","
                + "\"_cdc_op\":\"insert\",\"_cdc_at\":\"2026-01-01 00:00:03.000000\","
                + "\"_cdc_position\":\"60000000000000000000700\"}");
  }

  @Test
  void readsMysqlEventsWithoutSchemasAndSkipsWhatIsNotARowChange() throws Exception {
    Path first =
        write(
            "orders-1.json",
            "{\"status\":\"BEGIN\",\"id\":\"gtid:7\",\"event_count\":null,\"ts_ms\":1767225600000}",
            my(
                "c",
                "null",
                "{\"id\":7,\"total\":12.5,\"tags\":{\"vip\":true},\"ok\":true}",
                1767225600000L,
                "mysql-bin.000003",
                154,
                0),
            my(
                "u",
                "{\"id\":7}",
                "{\"id\":7,\"total\":13,\"tags\":null,\"ok\":false}",
                1767225600000L,
                "mysql-bin.000003",
                154,
                1),
            "null",
            "   ",
            "{\"ts_ms\":1767225600100}",
            "{\"source\":{\"connector\":\"mysql\"},\"databaseName\":\"shop\",\"ddl\":\"ALTER TABLE"
                + " orders ADD note TEXT\",\"tableChanges\":[]}",
            "{\"status\":\"END\",\"id\":\"gtid:7\",\"event_count\":2,\"ts_ms\":1767225600000}");
    Path second =
        write(
            "orders-2.json",
            my(
                "d",
                "{\"id\":7,\"total\":13,\"tags\":null,\"ok\":false}",
                "null",
                1767225700000L,
                "mysql-bin.000004",
                4,
                0));
    DebeziumCapture capture = capture(List.of(first, second), List.of());

    assertThat(capture.describe())
        .containsExactly(
            Column.of("id", DataType.STRING),
            Column.of("total", DataType.STRING),
            Column.of("tags", DataType.STRING),
            Column.of("ok", DataType.STRING));
    assertThat(land(capture, 3))
        .containsExactly(
            "{\"id\":\"7\",\"total\":\"12.5\",\"tags\":\"{\\\"vip\\\":true}\",\"ok\":\"true\","
                + "\"_cdc_op\":\"insert\",\"_cdc_at\":\"2026-01-01 00:00:00.000000\","
                + "\"_cdc_position\":\"300000000000154000000\"}",
            "{\"id\":\"7\",\"total\":\"13\",\"tags\":null,\"ok\":\"false\",\"_cdc_op\":\"update\","
                + "\"_cdc_at\":\"2026-01-01 00:00:00.000000\","
                + "\"_cdc_position\":\"300000000000154000001\"}",
            "{\"id\":\"7\",\"total\":\"13\",\"tags\":null,\"ok\":\"false\",\"_cdc_op\":\"delete\","
                + "\"_cdc_at\":\"2026-01-01 00:01:40.000000\","
                + "\"_cdc_position\":\"400000000000004000000\"}");
  }

  @Test
  void ordersInterleavedPostgresqlTransactionsByCommit() throws Exception {
    // T1 writes at LSN 100, T2 at 150 and commits at 200; T1 writes again at 250 and commits at
    // 300. Decoding sends T2 first, then T1, whose changes carry T2's commit as the last one.
    Path file =
        write(
            "interleaved.json",
            pg("u", "null", "{\"id\":2,\"v\":\"t2\"}", 1767225600000L, 90L, 150),
            pg("u", "null", "{\"id\":1,\"v\":\"t1 first\"}", 1767225600000L, 200L, 100),
            pg("u", "null", "{\"id\":1,\"v\":\"t1 second\"}", 1767225600000L, 200L, 250));
    List<String> rows = land(capture(List.of(file), List.of()), 3);

    List<java.math.BigInteger> positions = new ArrayList<>();
    rows.forEach(
        r ->
            positions.add(
                new java.math.BigInteger(r.replaceAll(".*_cdc_position\":\"(\\d+)\".*", "$1"))));
    assertThat(positions)
        .containsExactly(
            new java.math.BigInteger("9000000000000000000150"),
            new java.math.BigInteger("20000000000000000000100"),
            new java.math.BigInteger("20000000000000000000250"))
        .isSorted();
  }

  @Test
  void declaredColumnsAreMatchedRegardlessOfCaseAndMissingOnesAreNull() throws Exception {
    Path file =
        write(
            "declared.json",
            withSchema(
                pg(
                    "c",
                    "null",
                    "{\"id\":3,\"amount\":\"AeI6\",\"due\":20468,\"extra\":1}",
                    1767225600000L,
                    1L,
                    2)),
            withSchema(pg("d", "{\"id\":3}", "null", 1767225601000L, 3L, 4)));
    DebeziumCapture capture =
        capture(
            List.of(file),
            List.of(
                new ColumnSpec("ID", DataType.BIGINT, Position.NONE),
                new ColumnSpec("Amount", DataType.decimal(12, 2), Position.NONE),
                new ColumnSpec("note", DataType.STRING, Position.NONE)));

    assertThat(capture.describe())
        .containsExactly(
            Column.of("ID", DataType.BIGINT),
            Column.of("Amount", DataType.decimal(12, 2)),
            Column.of("note", DataType.STRING));
    assertThat(land(capture, 2))
        .containsExactly(
            "{\"ID\":\"3\",\"Amount\":\"1234.50\",\"note\":null,\"_cdc_op\":\"insert\","
                + "\"_cdc_at\":\"2026-01-01 00:00:00.000000\","
                + "\"_cdc_position\":\"100000000000000000002\"}",
            "{\"ID\":\"3\",\"Amount\":null,\"note\":null,\"_cdc_op\":\"delete\","
                + "\"_cdc_at\":\"2026-01-01 00:00:01.000000\","
                + "\"_cdc_position\":\"300000000000000000004\"}");
  }

  @Test
  void aMalformedLineFailsTheCaptureNamingFileAndLine() throws Exception {
    Path good = write("a.json", pg("c", "null", "{\"id\":1}", 1767225600000L, 1L, 2));
    Path bad =
        write(
            "b.json",
            pg("c", "null", "{\"id\":2}", 1767225600000L, 1L, 3),
            "",
            "{\"id\":3,\"name\":\"not an envelope\"}");
    Path landing = folder.resolve("landing/billing.jsonl");

    assertThatThrownBy(() -> capture(List.of(good, bad), List.of()).capture(request(landing)))
        .isInstanceOf(ExtractFailure.class)
        .hasMessage(
            "Cannot read source 'billing' (Debezium events in billing/*.json): "
                + bad
                + ":3: it is not a Debezium change event: it has no op (its fields are id, name);"
                + " nothing was loaded");
    assertThat(landing).doesNotExist();

    Path broken = write("c.json", "{\"before\":null,\"after\":{\"id\":1}");
    assertThatThrownBy(() -> capture(List.of(broken), List.of()).describe())
        .hasMessageStartingWith(
            "Cannot read source 'billing' (Debezium events in billing/*.json): "
                + broken
                + ":1: it is not valid JSON: Unexpected end-of-input");

    Path badDate =
        write(
            "d.json",
            withSchema(pg("c", "null", "{\"id\":1,\"due\":\"soon\"}", 1767225600000L, 1L, 2)));
    List<ColumnSpec> idAndDue =
        List.of(
            new ColumnSpec("id", DataType.INTEGER, Position.NONE),
            new ColumnSpec("due", DataType.DATE, Position.NONE));
    assertThatThrownBy(() -> capture(List.of(badDate), idAndDue).capture(request(landing)))
        .hasMessage(
            "Cannot read source 'billing' (Debezium events in billing/*.json): "
                + badDate
                + ":1: its column 'due' holds \"soon\", but a io.debezium.time.Date is a whole"
                + " number; nothing was loaded");
  }

  @Test
  void anUnknownConnectorOrATruncateFailsClearly() throws Exception {
    Path oracle =
        write(
            "oracle.json",
            "{\"before\":null,\"after\":{\"id\":1},\"op\":\"c\",\"ts_ms\":1,"
                + "\"source\":{\"connector\":\"oracle\",\"ts_ms\":1,\"scn\":\"123\"}}");
    assertThatThrownBy(() -> capture(List.of(oracle), List.of()).describe())
        .hasMessage(
            "Cannot read source 'billing' (Debezium events in billing/*.json): "
                + oracle
                + ":1: it comes from Debezium's 'oracle' connector, whose log positions Conform"
                + " cannot order; it reads the events of the postgresql, mysql, mariadb"
                + " connectors; nothing was loaded");

    Path truncate =
        write(
            "truncate.json",
            pg("c", "null", "{\"id\":1}", 1767225600000L, 1L, 2),
            pg("t", "null", "null", 1767225601000L, 3L, 4));
    assertThatThrownBy(
            () ->
                capture(List.of(truncate), List.of())
                    .capture(request(folder.resolve("landing.jsonl"))))
        .hasMessage(
            "Cannot read source 'billing' (Debezium events in billing/*.json): "
                + truncate
                + ":2: it is a truncate (op t), which Conform cannot apply from Debezium files;"
                + " replace the files of the truncated table and rebuild each model that reads"
                + " them with conform run --full-refresh <model>; nothing was loaded");
  }

  @Test
  void anUnchangedToastValueFailsTheCaptureInsteadOfLoadingThePlaceholder() throws Exception {
    Path text =
        write(
            "toast.json",
            pg("c", "null", "{\"id\":1,\"notes\":\"long\"}", 1767225600000L, 1L, 2),
            pg(
                "u",
                "{\"id\":1}",
                "{\"id\":1,\"notes\":\"__debezium_unavailable_value\"}",
                1767225601000L,
                3L,
                4));
    List<ColumnSpec> columns =
        List.of(
            new ColumnSpec("id", DataType.INTEGER, Position.NONE),
            new ColumnSpec("notes", DataType.STRING, Position.NONE));
    Path landing = folder.resolve("landing/billing.jsonl");

    assertThatThrownBy(() -> capture(List.of(text), columns).capture(request(landing)))
        .isInstanceOf(ExtractFailure.class)
        .hasMessage(
            "Cannot read source 'billing' (Debezium events in billing/*.json): "
                + text
                + ":2: its column 'notes' holds Debezium's placeholder __debezium_unavailable_value,"
                + " not its value: PostgreSQL did not send a large (TOASTed) value that the update"
                + " left unchanged, as the table's replica identity does not log the old row; run"
                + " ALTER TABLE public.billing REPLICA IDENTITY FULL at the source (or have the"
                + " connector fill such values in), then rebuild the models that read it with"
                + " conform run --full-refresh MODEL; nothing was loaded");
    assertThat(landing).doesNotExist();

    // A bytea column gets the placeholder's bytes, base64-encoded.
    Path bytes =
        write(
            "toast-bytes.json",
            pg(
                "u",
                "{\"id\":1}",
                "{\"id\":1,\"notes\":\"X19kZWJleml1bV91bmF2YWlsYWJsZV92YWx1ZQ==\"}",
                1767225601000L,
                3L,
                4));
    assertThatThrownBy(() -> capture(List.of(bytes), columns).capture(request(landing)))
        .hasMessageContaining(
            bytes
                + ":1: its column 'notes' holds Debezium's placeholder __debezium_unavailable_value");
  }

  @Test
  void aDeclaredColumnMissingFromAnAfterFailsUnlessTheSchemaLacksIt() throws Exception {
    // binlog_row_image=MINIMAL: an update's after holds only the key and the changed columns.
    Path minimal =
        write(
            "minimal.json",
            my(
                "c",
                "null",
                "{\"id\":7,\"total\":12.5}",
                1767225600000L,
                "mysql-bin.000003",
                154,
                0),
            my("u", "null", "{\"id\":7,\"ok\":false}", 1767225601000L, "mysql-bin.000003", 300, 0));
    List<ColumnSpec> columns =
        List.of(
            new ColumnSpec("id", DataType.INTEGER, Position.NONE),
            new ColumnSpec("total", DataType.STRING, Position.NONE),
            new ColumnSpec("ok", DataType.STRING, Position.NONE));
    Path landing = folder.resolve("landing/orders.jsonl");

    assertThatThrownBy(() -> capture(List.of(minimal), columns).capture(request(landing)))
        .isInstanceOf(ExtractFailure.class)
        .hasMessage(
            "Cannot read source 'billing' (Debezium events in billing/*.json): "
                + minimal
                + ":1: its after has no field 'ok', which the source declares, so its value is"
                + " unknown (an insert must carry the whole row); with MySQL or MariaDB set"
                + " binlog_row_image=FULL at the source, or remove the column from the source's"
                + " columns; nothing was loaded");

    // With a schema: a column it lists but the after lacks fails too.
    Path listed =
        write(
            "listed.json",
            withSchema(pg("u", "null", "{\"id\":3,\"amount\":\"AeI6\"}", 1767225600000L, 1L, 2)));
    assertThatThrownBy(
            () ->
                capture(
                        List.of(listed),
                        List.of(
                            new ColumnSpec("id", DataType.INTEGER, Position.NONE),
                            new ColumnSpec("due", DataType.DATE, Position.NONE)))
                    .capture(request(landing)))
        .hasMessage(
            "Cannot read source 'billing' (Debezium events in billing/*.json): "
                + listed
                + ":1: its after has no field 'due', which the source declares and the event's"
                + " schema lists, so its value is unknown (an update must carry the whole row);"
                + " with MySQL or MariaDB set binlog_row_image=FULL at the source, or remove the"
                + " column from the source's columns; nothing was loaded");
  }

  @Test
  void midnightAtTheEndOfTheDayIsATimeAndAnImpossibleTimeFailsClearly() throws Exception {
    String schema =
        "{\"type\":\"struct\",\"fields\":[{\"type\":\"struct\",\"field\":\"after\",\"fields\":["
            + "{\"type\":\"int32\",\"field\":\"id\"},"
            + "{\"type\":\"int64\",\"name\":\"io.debezium.time.MicroTime\",\"field\":\"cutoff\"},"
            + "{\"type\":\"int32\",\"name\":\"io.debezium.time.Time\",\"field\":\"closes\"}]}]}";
    Path file =
        write(
            "times.json",
            "{\"schema\":"
                + schema
                + ",\"payload\":"
                + pg(
                    "c",
                    "null",
                    "{\"id\":1,\"cutoff\":86400000000,\"closes\":86400000}",
                    1767225600000L,
                    1L,
                    2)
                + "}",
            "{\"schema\":"
                + schema
                + ",\"payload\":"
                + pg(
                    "c",
                    "null",
                    "{\"id\":2,\"cutoff\":86400000001,\"closes\":0}",
                    1767225600000L,
                    1L,
                    3)
                + "}");
    Path landing = folder.resolve("landing/times.jsonl");

    assertThatThrownBy(() -> capture(List.of(file), List.of()).capture(request(landing)))
        .isInstanceOf(ExtractFailure.class)
        .hasMessage(
            "Cannot read source 'billing' (Debezium events in billing/*.json): "
                + file
                + ":2: its column 'cutoff' holds 86400000001, which is not a"
                + " io.debezium.time.MicroTime: Invalid value for NanoOfDay (valid values 0 -"
                + " 86399999999999): 86400000001000; nothing was loaded");

    Files.writeString(file, Files.readAllLines(file).get(0) + "\n");
    assertThat(land(capture(List.of(file), List.of()), 1))
        .containsExactly(
            "{\"id\":\"1\",\"cutoff\":\"24:00:00\",\"closes\":\"24:00:00\","
                + "\"_cdc_op\":\"insert\",\"_cdc_at\":\"2026-01-01 00:00:00.000000\","
                + "\"_cdc_position\":\"100000000000000000002\"}");
  }

  /** A bare PostgreSQL connector envelope; {@code lastCommit} null for a snapshot read. */
  private static String pg(
      String op, String before, String after, long tsMs, Long lastCommit, long lsn) {
    return "{\"before\":"
        + before
        + ",\"after\":"
        + after
        + ",\"source\":{\"version\":\"2.5.0.Final\",\"connector\":\"postgresql\","
        + "\"name\":\"shop\",\"ts_ms\":"
        + tsMs
        + ",\"snapshot\":\""
        + (op.equals("r") ? "true" : "false")
        + "\",\"db\":\"shop\",\"sequence\":\"["
        + (lastCommit == null ? "null" : "\\\"" + lastCommit + "\\\"")
        + ",\\\""
        + lsn
        + "\\\"]\",\"schema\":\"public\",\"table\":\"billing\",\"txId\":771,\"lsn\":"
        + lsn
        + ",\"xmin\":null},\"op\":\""
        + op
        + "\",\"ts_ms\":"
        + (tsMs + 5000)
        + ",\"transaction\":null}";
  }

  /** A bare MySQL connector envelope. */
  private static String my(
      String op, String before, String after, long tsMs, String file, long pos, int row) {
    return "{\"before\":"
        + before
        + ",\"after\":"
        + after
        + ",\"source\":{\"version\":\"2.5.0.Final\",\"connector\":\"mysql\",\"name\":\"shop\","
        + "\"ts_ms\":"
        + tsMs
        + ",\"snapshot\":\"false\",\"db\":\"shop\",\"table\":\"orders\",\"server_id\":223344,"
        + "\"gtid\":null,\"file\":\""
        + file
        + "\",\"pos\":"
        + pos
        + ",\"row\":"
        + row
        + ",\"thread\":7,\"query\":null},\"op\":\""
        + op
        + "\",\"ts_ms\":"
        + (tsMs + 900)
        + "}";
  }

  /** The envelope as the Kafka Connect JSON converter writes it with schemas enabled. */
  private static String withSchema(String envelope) {
    return "{\"schema\":" + ENVELOPE_SCHEMA + ",\"payload\":" + envelope + "}";
  }

  private Path write(String name, String... lines) throws Exception {
    Path file = folder.resolve(name);
    Files.writeString(file, String.join("\n", lines) + "\n");
    return file;
  }

  private static DebeziumCapture capture(List<Path> files, List<ColumnSpec> columns) {
    SourceSpec source =
        new SourceSpec(
            new Named("billing", Position.NONE),
            new Named("landing", Position.NONE),
            Optional.of("billing/*.json"),
            Optional.empty(),
            Optional.of(SourceData.Format.JSON),
            Map.of(),
            columns,
            List.of(new Named("id", Position.NONE)),
            Optional.of(
                new CdcSpec(new Named(CdcSpec.LOG, Position.NONE), Map.of(), Position.NONE)),
            Optional.empty(),
            Position.NONE);
    return (DebeziumCapture) ChangeCaptures.forFiles(source, files, Path.of("unused"));
  }

  private static CaptureRequest request(Path landing) {
    return new CaptureRequest(Map.of(), false, landing, rows -> {});
  }

  /** Captures into a landing file and returns its lines, checking the row count reported. */
  private List<String> land(DebeziumCapture capture, long rows) throws Exception {
    Path landing = folder.resolve("landing/billing.jsonl");
    ChangeCapture.Capture captured = capture.capture(request(landing));
    assertThat(captured.extracted().rows()).isEqualTo(rows);
    assertThat(captured.extracted().columns()).isEqualTo(capture.describe());
    assertThat(captured.state()).isEmpty();
    return Files.readAllLines(landing);
  }
}
