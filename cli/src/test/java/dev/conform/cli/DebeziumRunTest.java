package dev.conform.cli;

import static dev.conform.cli.Warehouse.count;
import static dev.conform.cli.Warehouse.show;
import static dev.conform.cli.Warehouse.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cdc: log} over Debezium files from the CLI: files of change events arriving run after run
 * into a Type 2 and a Type 1 dimension on embedded DuckDB, with re-delivered and backdated events,
 * and a run killed while it applies.
 */
class DebeziumRunTest {
  /** 2026-01-01 00:00:00 UTC in milliseconds. */
  private static final long DAY = 1767225600000L;

  private static final long HOUR = 3_600_000L;

  /** The value schema of table billing, as the PostgreSQL connector describes it. */
  private static final String VALUE_SCHEMA =
      "{\"type\":\"struct\",\"optional\":true,\"name\":\"shop.public.billing.Value\",\"fields\":["
          + "{\"type\":\"int32\",\"optional\":false,\"field\":\"id\"},"
          + "{\"type\":\"string\",\"optional\":true,\"field\":\"customer\"},"
          + "{\"type\":\"bytes\",\"optional\":true,\"name\":\"org.apache.kafka.connect.data.Decimal\","
          + "\"parameters\":{\"scale\":\"2\",\"connect.decimal.precision\":\"10\"},"
          + "\"field\":\"amount\"}]";

  @TempDir Path folder;

  @Test
  void eventsArriveRunAfterRunWithRepeatsAndBackdatedEventsAndNoDuplicates() throws Exception {
    Path project = project(true);

    // A snapshot of two rows, then a create and an update.
    arrive(
        project,
        "001.json",
        event("r", 1, "Amal", "10.00", DAY, null, 100),
        event("r", 2, "Omar", "20.00", DAY, null, 100),
        event("c", 3, "Nour", "30.00", DAY + HOUR, 150L, 160),
        event("u", 1, "Amal", "11.00", DAY + 2 * HOUR, 170L, 180));
    CliRun first = CliRun.of(project, "run");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.err())
        .contains("source billing for dim_billing: read 4 row(s) from 1 Debezium file(s)");
    // Versions are valid from and to log positions; changed_at carries when each committed.
    assertThat(show(project, "dim_billing"))
        .containsExactly(
            "1,Amal,10.00,2026-01-01 00:00:00,100," + pos(170, 180) + ",false",
            "1,Amal,11.00,2026-01-01 02:00:00," + pos(170, 180) + ",,true",
            "2,Omar,20.00,2026-01-01 00:00:00,100,,true",
            "3,Nour,30.00,2026-01-01 01:00:00," + pos(150, 160) + ",,true");

    // A delete (its before holds only the key), an update, and two updates of one row committed
    // in the same millisecond by interleaved transactions: the one committed last (the higher log
    // position, though its own LSN is lower) wins.
    List<String> second =
        List.of(
            delete(2, DAY + 3 * HOUR, 190L, 200),
            event("u", 3, "Nour", "31.00", DAY + 4 * HOUR, 210L, 220),
            event("u", 1, "Amal", "12.00", DAY + 5 * HOUR, 500L, 700),
            event("u", 1, "Amal", "13.00", DAY + 5 * HOUR, 600L, 650));
    arrive(project, "002.json", second.toArray(String[]::new));
    CliRun run2 = CliRun.of(project, "run");
    assertThat(run2.exitCode()).as(run2.err()).isZero();
    List<String> afterSecond =
        List.of(
            "1,Amal,10.00,2026-01-01 00:00:00,100," + pos(170, 180) + ",false",
            "1,Amal,11.00,2026-01-01 02:00:00," + pos(170, 180) + "," + pos(500, 700) + ",false",
            "1,Amal,12.00,2026-01-01 05:00:00," + pos(500, 700) + "," + pos(600, 650) + ",false",
            "1,Amal,13.00,2026-01-01 05:00:00," + pos(600, 650) + ",,true",
            "2,Omar,20.00,2026-01-01 00:00:00,100," + pos(190, 200) + ",false",
            "3,Nour,30.00,2026-01-01 01:00:00," + pos(150, 160) + "," + pos(210, 220) + ",false",
            "3,Nour,31.00,2026-01-01 04:00:00," + pos(210, 220) + ",,true");
    assertThat(show(project, "dim_billing")).containsExactlyElementsOf(afterSecond);
    List<String> current = List.of("1,Amal,13.00", "3,Nour,31.00");
    assertThat(show(project, "dim_billing_now")).containsExactlyElementsOf(current);

    // At-least-once delivery: a file repeats events already loaded. Nothing changes.
    arrive(project, "003.json", second.get(1), second.get(3), second.get(0));
    CliRun repeated = CliRun.of(project, "run");
    assertThat(repeated.exitCode()).as(repeated.err()).isZero();
    assertThat(show(project, "dim_billing")).containsExactlyElementsOf(afterSecond);
    assertThat(show(project, "dim_billing_now")).containsExactlyElementsOf(current);

    // A backdated update of row 3 (a file that arrived late, with a schema): it splices its
    // history; the current rows keep the newer values.
    arrive(
        project,
        "000-late.json",
        withSchema(event("u", 3, "Nour", "C+o=", DAY + 150 * 60_000L, 175L, 176)));
    CliRun late = CliRun.of(project, "run");
    assertThat(late.exitCode()).as(late.err()).isZero();
    List<String> spliced = new ArrayList<>(afterSecond);
    spliced.set(
        5, "3,Nour,30.00,2026-01-01 01:00:00," + pos(150, 160) + "," + pos(175, 176) + ",false");
    spliced.add(
        6, "3,Nour,30.50,2026-01-01 02:30:00," + pos(175, 176) + "," + pos(210, 220) + ",false");
    assertThat(show(project, "dim_billing")).containsExactlyElementsOf(spliced);
    assertThat(show(project, "dim_billing_now")).containsExactlyElementsOf(current);

    CliRun nothing = CliRun.of(project, "run");
    assertThat(nothing.out()).containsPattern("dim_billing.*up to date");
  }

  @Test
  void aSnapshotReadAfterAStreamedUpdateOfTheSameRowLosesToIt() throws Exception {
    Path project = project(true);
    // The snapshot starts at LSN 1000 at 10:00 and reads rows 1 and 2 at 10:30 (source.ts_ms is
    // when it read them) with their values as of 10:00. Updates of both committed at 10:10, after
    // the snapshot's start: the stream sends them after the snapshot, with higher positions.
    long tenHours = DAY + 10 * HOUR;
    arrive(
        project,
        "001.json",
        event("r", 1, "Amal", "10.00", tenHours + HOUR / 2, null, 1000),
        event("r", 2, "Omar", "20.00", tenHours + HOUR / 2, null, 1000),
        event("u", 1, "Amal", "11.00", tenHours + HOUR / 6, 1100L, 1200));
    CliRun first = CliRun.of(project, "run");
    assertThat(first.exitCode()).as(first.err()).isZero();
    // Row 2's update arrives in a later file, loaded by a later run.
    arrive(project, "002.json", event("u", 2, "Omar", "21.00", tenHours + HOUR / 6, 1300L, 1400));
    CliRun second = CliRun.of(project, "run");
    assertThat(second.exitCode()).as(second.err()).isZero();

    assertThat(show(project, "dim_billing_now")).containsExactly("1,Amal,11.00", "2,Omar,21.00");
    assertThat(show(project, "dim_billing"))
        .containsExactly(
            "1,Amal,10.00,2026-01-01 10:30:00,1000," + pos(1100, 1200) + ",false",
            "1,Amal,11.00,2026-01-01 10:10:00," + pos(1100, 1200) + ",,true",
            "2,Omar,20.00,2026-01-01 10:30:00,1000," + pos(1300, 1400) + ",false",
            "2,Omar,21.00,2026-01-01 10:10:00," + pos(1300, 1400) + ",,true");
    // The sequence is a whole number of 38 digits, and so are the versions' bounds.
    assertThat(
            text(
                project,
                "SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY column_name)"
                    + " FROM information_schema.columns WHERE table_name = 'dim_billing'"
                    + " AND column_name IN ('valid_from', 'valid_to', 'changed_at')"))
        .isEqualTo("changed_at TIMESTAMP, valid_from DECIMAL(38,0), valid_to DECIMAL(38,0)");
  }

  @Test
  void aMalformedFileFailsTheRunNamingItsLineAndLoadsNothing() throws Exception {
    Path project = project(true);
    arrive(project, "001.json", event("c", 1, "Amal", "10.00", DAY, 1L, 2), "{\"id\": 2");

    CliRun failed = CliRun.of(project, "run");

    assertThat(failed.exitCode()).isEqualTo(ExitCode.RUN_FAILED);
    assertThat(failed.err())
        .contains(
            "error: Cannot read source 'billing' (Debezium events in billing/*.json): "
                + project.resolve("data/landing/billing/001.json")
                + ":2: it is not valid JSON: Unexpected end-of-input");
    arrive(project, "001.json", event("c", 1, "Amal", "10.00", DAY, 1L, 2));
    CliRun fixed = CliRun.of(project, "run");
    assertThat(fixed.exitCode()).as(fixed.err()).isZero();
    assertThat(show(project, "dim_billing"))
        .containsExactly("1,Amal,10.00,2026-01-01 00:00:00," + pos(1, 2) + ",,true");
  }

  @Test
  void aRunKilledWhileItAppliesIsRerunAndLoadsEachEventOnce() throws Exception {
    Path project = project(false);
    List<String> events = new ArrayList<>();
    for (int id = 1; id <= 3000; id++) {
      events.add(event("c", id, "customer " + id, id + ".00", DAY + id * 1000L, 10L, id));
    }
    arrive(project, "001.json", events.toArray(String[]::new));
    killWhileApplying(project, 3000);
    CliRun first = CliRun.of(project, "run");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(count(project, "SELECT count(*) FROM dim_billing")).isEqualTo(3000);

    events.clear();
    for (int id = 1; id <= 3000; id += 3) {
      events.add(event("u", id, "customer " + id, "0.50", DAY + HOUR * 2 + id, 20L, id));
    }
    arrive(project, "002.json", events.toArray(String[]::new));
    killWhileApplying(project, 1000);
    CliRun second = CliRun.of(project, "run");
    assertThat(second.exitCode()).as(second.err()).isZero();

    assertThat(count(project, "SELECT count(*) FROM dim_billing")).isEqualTo(4000);
    assertThat(count(project, "SELECT count(*) FROM dim_billing WHERE valid_to IS NULL"))
        .isEqualTo(3000);
    assertThat(count(project, "SELECT count(*) FROM dim_billing WHERE amount = 0.50"))
        .isEqualTo(1000);
    assertThat(CliRun.of(project, "run").out()).containsPattern("dim_billing.*up to date");
  }

  /**
   * Starts {@code conform run} in a JVM of its own and kills it with SIGKILL once it has written
   * all {@code rows} rows of its landing file (the warehouse is being changed then).
   */
  private static void killWhileApplying(Path project, long rows) throws Exception {
    Path landing = KilledRuns.landing(project, "dim_billing", "billing");
    KilledRuns.killWhen(
        KilledRuns.start(project), () -> lines(landing) == rows, "its landing file was written");
  }

  /** The complete lines of {@code file} so far; 0 when it does not exist (yet, or any more). */
  private static long lines(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      long lines = 0;
      for (byte b : bytes) {
        if (b == '\n') {
          lines++;
        }
      }
      return lines;
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  /** The {@code _cdc_position} of a PostgreSQL event: last commit LSN × 10^20 + its LSN. */
  private static String pos(long lastCommit, long lsn) {
    return java.math.BigInteger.valueOf(lastCommit)
        .multiply(java.math.BigInteger.TEN.pow(20))
        .add(java.math.BigInteger.valueOf(lsn))
        .toString();
  }

  /** A bare PostgreSQL connector envelope without schema. */
  private static String event(
      String op, int id, String customer, String amount, long tsMs, Long lastCommit, long lsn) {
    String row =
        "{\"id\":" + id + ",\"customer\":\"" + customer + "\",\"amount\":\"" + amount + "\"}";
    return envelope(
        op,
        op.equals("r") || op.equals("c") ? "null" : "{\"id\":" + id + "}",
        row,
        tsMs,
        lastCommit,
        lsn);
  }

  /** A delete whose before holds only the key (replica identity default). */
  private static String delete(int id, long tsMs, Long lastCommit, long lsn) {
    return envelope("d", "{\"id\":" + id + "}", "null", tsMs, lastCommit, lsn);
  }

  private static String envelope(
      String op, String before, String after, long tsMs, Long lastCommit, long lsn) {
    return "{\"before\":"
        + before
        + ",\"after\":"
        + after
        + ",\"source\":{\"version\":\"2.5.0.Final\",\"connector\":\"postgresql\",\"name\":\"shop\","
        + "\"ts_ms\":"
        + tsMs
        + ",\"snapshot\":\"false\",\"db\":\"shop\",\"sequence\":\"["
        + (lastCommit == null ? "null" : "\\\"" + lastCommit + "\\\"")
        + ",\\\""
        + lsn
        + "\\\"]\",\"schema\":\"public\",\"table\":\"billing\",\"txId\":900,\"lsn\":"
        + lsn
        + "},\"op\":\""
        + op
        + "\",\"ts_ms\":"
        + (tsMs + 60_000)
        + "}";
  }

  /** The envelope with the Kafka Connect JSON converter's schema. */
  private static String withSchema(String envelope) {
    return "{\"schema\":{\"type\":\"struct\",\"name\":\"shop.public.billing.Envelope\",\"fields\":["
        + VALUE_SCHEMA
        + ",\"field\":\"before\"},"
        + VALUE_SCHEMA
        + ",\"field\":\"after\"},{\"type\":\"string\",\"field\":\"op\"}]},\"payload\":"
        + envelope
        + "}";
  }

  private static void arrive(Path project, String name, String... lines) throws Exception {
    Path folder = project.resolve("data/landing/billing");
    Files.createDirectories(folder);
    Files.writeString(folder.resolve(name), String.join("\n", lines) + "\n");
  }

  /** A project reading Debezium files into a Type 2 dimension, and a Type 1 one if asked. */
  private Path project(boolean typeOne) throws Exception {
    Path project = TestProject.files(folder, "shop", "data/landing");
    TestProject.model(
        project,
        "billing.yaml",
        """
        sources:
          - name: billing
            connection: landing
            path: "billing/*.json"
            format: json
            key: [id]
            columns: { id: integer, customer: string, amount: "decimal(10,2)" }
            cdc: { strategy: log }
        dimensions:
          - name: dim_billing
            from: billing
            business_key: [id]
            scd: { type: 2, sequence_by: _cdc_position, deletes: close }
            columns: { customer:, amount:, changed_at: _cdc_at }
        """
            + (typeOne
                ? """
                  - name: dim_billing_now
                    from: billing
                    business_key: [id]
                    scd: { type: 1, sequence_by: _cdc_position, deletes: close }
                    columns: { customer:, amount: }
                """
                : ""));
    return project;
  }
}
