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
import dev.conform.spi.WarehouseConnection;
import dev.conform.testing.Sql;
import dev.conform.testing.TestMariaDb;
import dev.conform.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * snapshot_diff on real engines: PostgreSQL and MariaDB tables, CSV and Parquet files; inserts,
 * updates, deletes, NULL apart from '', values that hold the hash's separators, duplicate keys, a
 * crash between capture and commit, and a full refresh.
 */
class SnapshotDiffCaptureTest {
  private static final Pattern AT = Pattern.compile("\"_cdc_at\":\"([^\"]+)\"");

  @TempDir Path folder;

  @Test
  void comparesPostgresqlSnapshotsRunAfterRun() throws Exception {
    String url = TestPostgres.freshDatabase("conform_snapdiff");
    Sql.execute(
        url,
        "CREATE TABLE balances (account_id int PRIMARY KEY, owner text, note text,"
            + " amount numeric(10,2))",
        "INSERT INTO balances VALUES (1, 'Amal', 'x', 10.00), (2, 'Omar', '', 20.50),"
            + " (3, 'ab', 'c', 30), (4, 'Nour', NULL, NULL)");
    ChangeCapture capture = tableCapture(url, "postgresql", "balances");

    assertThat(capture.describe())
        .containsExactly(
            Column.of("account_id", DataType.INTEGER),
            Column.of("owner", DataType.STRING),
            Column.of("note", DataType.STRING),
            Column.of("amount", DataType.decimal(10, 2)));
    LocalDateTime before = now();
    ChangeCapture.Capture first = capture(capture, Map.of(), false);
    LocalDateTime after = now();
    assertThat(first.from())
        .isEqualTo(
            "from table balances: 4 inserted, 0 updated, 0 deleted against no earlier snapshot");
    assertThat(first.extracted().rows()).isEqualTo(4);
    assertThat(first.state())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "snapshot:crm.balances",
                "1",
                "snapshot generation:crm.balances",
                "1",
                "snapshot origin:crm.balances",
                "table balances through connection 'crm' (postgresql, " + url + ")"));
    assertThat(landing(first, before, after))
        .containsExactlyInAnyOrder(
            row("1", "Amal", "x", "10.00", "insert", "1"),
            row("2", "Omar", "", "20.50", "insert", "1"),
            row("3", "ab", "c", "30.00", "insert", "1"),
            row("4", "Nour", null, null, "insert", "1"));
    capture.committed(first.state());

    // 1 changes its amount, 2 its note from '' to NULL, 3 moves a letter from one column to the
    // next (the same text run together), 4 is gone, 5 is new, and 6 holds the separators.
    Sql.execute(
        url,
        "UPDATE balances SET amount = 11 WHERE account_id = 1",
        "UPDATE balances SET note = NULL WHERE account_id = 2",
        "UPDATE balances SET owner = 'a', note = 'bc' WHERE account_id = 3",
        "DELETE FROM balances WHERE account_id = 4",
        "INSERT INTO balances VALUES (5, 'Hana', 'S1:N', 5), (6, 'N', 'S4:x|y', 6)");
    before = now();
    ChangeCapture.Capture second = capture(capture, first.state(), false);
    after = now();
    assertThat(second.from())
        .isEqualTo("from table balances: 2 inserted, 3 updated, 1 deleted against snapshot 1");
    assertThat(landing(second, before, after))
        .containsExactlyInAnyOrder(
            row("1", "Amal", "x", "11.00", "update", "2"),
            row("2", "Omar", null, "20.50", "update", "2"),
            row("3", "a", "bc", "30.00", "update", "2"),
            row("4", null, null, null, "delete", "2"),
            row("5", "Hana", "S1:N", "5.00", "insert", "2"),
            row("6", "N", "S4:x|y", "6.00", "insert", "2"));
    capture.committed(second.state());
    assertThat(storedSnapshots()).containsExactly("snapshot_1_2");

    ChangeCapture.Capture same = capture(capture, second.state(), false);
    assertThat(same.extracted().rows()).isZero();
    assertThat(same.from())
        .isEqualTo("from table balances: 0 inserted, 0 updated, 0 deleted against snapshot 2");
    assertThat(Files.readAllLines(same.extracted().file())).isEmpty();
  }

  @Test
  void comparesMariaDbSnapshots() throws Exception {
    String url = TestMariaDb.freshDatabase("conform_snapdiff");
    Sql.execute(
        url,
        "CREATE TABLE balances (account_id INT PRIMARY KEY, owner VARCHAR(20), note VARCHAR(20),"
            + " amount DECIMAL(10,2))",
        "INSERT INTO balances VALUES (1, 'Amal', '', 10), (2, 'Omar', NULL, 20)");
    ChangeCapture capture = tableCapture(url, "mariadb", "balances");
    ChangeCapture.Capture first = capture(capture, Map.of(), false);
    capture.committed(first.state());
    Sql.execute(
        url,
        "UPDATE balances SET note = NULL WHERE account_id = 1",
        "UPDATE balances SET note = '' WHERE account_id = 2",
        "INSERT INTO balances VALUES (3, 'Nour', 'n', 3)");

    ChangeCapture.Capture second = capture(capture, first.state(), false);

    assertThat(landing(second, LocalDateTime.MIN, LocalDateTime.MAX))
        .containsExactlyInAnyOrder(
            row("1", "Amal", null, "10.00", "update", "2"),
            row("2", "Omar", "", "20.00", "update", "2"),
            row("3", "Nour", "n", "3.00", "insert", "2"));
  }

  @Test
  void comparesEachNewCsvFileWithTheOneBeforeAtTheDateInItsName() throws Exception {
    Path files = Files.createDirectories(folder.resolve("files"));
    Path first = write(files, "balances_2024-03-01.csv", "account_id,owner,amount", "1,Amal,10");
    Path second =
        write(files, "balances_2024-03-02.csv", "account_id,owner,amount", "1,Amal,11", "2,Omar,5");
    Path third =
        write(files, "balances_2024-03-03T0930.csv", "account_id,owner,amount", "2,Omar,5");
    SourceSpec source = fileSource("balances_*.csv", SourceData.Format.CSV, Map.of(), List.of());
    ChangeCapture both =
        ChangeCaptures.forFiles(source, List.of(first, second), folder.resolve("store"));

    assertThat(both.describe())
        .containsExactly(
            Column.of("account_id", DataType.BIGINT),
            Column.of("owner", DataType.STRING),
            Column.of("amount", DataType.BIGINT));
    ChangeCapture.Capture captured = capture(both, Map.of(), false);
    assertThat(captured.from())
        .isEqualTo(
            "from 2 files balances_2024-03-01.csv to balances_2024-03-02.csv: 2 inserted,"
                + " 1 updated, 0 deleted against no earlier snapshot");
    assertThat(Files.readAllLines(captured.extracted().file()))
        .containsExactlyInAnyOrder(
            line("1", "Amal", "10", "insert", "2024-03-01 00:00:00.000000", "1"),
            line("1", "Amal", "11", "update", "2024-03-02 00:00:00.000000", "2"),
            line("2", "Omar", "5", "insert", "2024-03-02 00:00:00.000000", "2"));
    assertThat(captured.state())
        .containsEntry("snapshot:balances", "2")
        .containsEntry(
            "snapshot origin:balances", "path balances_*.csv of connection landing in " + files);
    both.committed(captured.state());

    ChangeCapture next = ChangeCaptures.forFiles(source, List.of(third), folder.resolve("store"));
    ChangeCapture.Capture last = capture(next, captured.state(), false);
    assertThat(Files.readAllLines(last.extracted().file()))
        .containsExactly(
            "{\"account_id\":\"1\",\"owner\":null,\"amount\":null,\"_cdc_op\":\"delete\","
                + "\"_cdc_at\":\"2024-03-03 09:30:00.000000\",\"_cdc_position\":\"3\"}");
  }

  @Test
  void aCrashBetweenCaptureAndCommitGivesTheSameDiffAndCommitDropsTheOldSnapshots()
      throws Exception {
    Path files = Files.createDirectories(folder.resolve("files"));
    Path first = write(files, "b_2024-03-01.csv", "account_id,owner", "1,Amal", "2,Omar");
    Path second = write(files, "b_2024-03-02.csv", "account_id,owner", "1,Amal", "3,Nour");
    SourceSpec source = fileSource("b_*.csv", SourceData.Format.CSV, Map.of(), List.of());
    Path store = folder.resolve("store");
    ChangeCapture.Capture loaded =
        capture(ChangeCaptures.forFiles(source, List.of(first), store), Map.of(), false);
    ChangeCaptures.forFiles(source, List.of(first), store).committed(loaded.state());

    ChangeCapture capture = ChangeCaptures.forFiles(source, List.of(second), store);
    List<String> crashed =
        Files.readAllLines(capture(capture, loaded.state(), false).extracted().file());
    // The run died before its state committed: the next one starts from the same state.
    assertThat(storedSnapshots()).containsExactly("snapshot_1_1", "snapshot_1_2");
    ChangeCapture.Capture again = capture(capture, loaded.state(), false);

    assertThat(Files.readAllLines(again.extracted().file()))
        .isEqualTo(crashed)
        .containsExactlyInAnyOrder(
            "{\"account_id\":\"3\",\"owner\":\"Nour\",\"_cdc_op\":\"insert\","
                + "\"_cdc_at\":\"2024-03-02 00:00:00.000000\",\"_cdc_position\":\"2\"}",
            "{\"account_id\":\"2\",\"owner\":null,\"_cdc_op\":\"delete\","
                + "\"_cdc_at\":\"2024-03-02 00:00:00.000000\",\"_cdc_position\":\"2\"}");
    capture.committed(again.state());
    assertThat(storedSnapshots()).containsExactly("snapshot_1_2");
  }

  @Test
  void aFullRefreshComparesWithNothingAndNumbersFromOneAgain() throws Exception {
    Path files = Files.createDirectories(folder.resolve("files"));
    Path first = write(files, "b_2024-03-01.csv", "account_id,owner", "1,Amal");
    Path second = write(files, "b_2024-03-02.csv", "account_id,owner", "1,Amla", "2,Omar");
    SourceSpec source = fileSource("b_*.csv", SourceData.Format.CSV, Map.of(), List.of());
    Path store = folder.resolve("store");
    ChangeCapture both = ChangeCaptures.forFiles(source, List.of(first, second), store);
    ChangeCapture.Capture loaded = capture(both, Map.of(), false);
    both.committed(loaded.state());

    ChangeCapture.Capture refresh = capture(both, loaded.state(), true);

    assertThat(refresh.from())
        .endsWith("2 inserted, 1 updated, 0 deleted against no earlier snapshot");
    assertThat(refresh.state())
        .containsEntry("snapshot:b", "2")
        .containsEntry("snapshot generation:b", "2");
    assertThat(storedSnapshots())
        .as("the stored snapshot stays until the refresh commits")
        .containsExactly("snapshot_1_2", "snapshot_2_1", "snapshot_2_2");
    both.committed(refresh.state());
    assertThat(storedSnapshots()).containsExactly("snapshot_2_2");
  }

  @Test
  void readsParquetValuesAsTextAndTellsNullFromEmpty() throws Exception {
    Path files = Files.createDirectories(folder.resolve("files"));
    Path first = files.resolve("p_2024-03-01.parquet");
    Path second = files.resolve("p_2024-03-02.parquet");
    parquet(
        first,
        "SELECT * FROM (VALUES (1, '', 10.5::DECIMAL(6,2), TIMESTAMP '2024-03-01 10:00:00'),"
            + " (2, 'b', NULL, NULL)) t(id, label, amount, seen)");
    parquet(
        second,
        "SELECT * FROM (VALUES (1, NULL, 10.5::DECIMAL(6,2), TIMESTAMP '2024-03-01 10:00:00'),"
            + " (2, 'b', NULL, NULL)) t(id, label, amount, seen)");
    SourceSpec source =
        fileSource(
            "p_*.parquet",
            SourceData.Format.PARQUET,
            Map.of(),
            List.of(
                new ColumnSpec("ID", DataType.BIGINT, Position.NONE),
                new ColumnSpec("label", DataType.STRING, Position.NONE),
                new ColumnSpec("amount", DataType.decimal(6, 2), Position.NONE),
                new ColumnSpec("seen", DataType.TIMESTAMP, Position.NONE)),
            List.of("id"));
    ChangeCapture capture =
        ChangeCaptures.forFiles(source, List.of(first, second), folder.resolve("store"));

    ChangeCapture.Capture captured = capture(capture, Map.of(), false);

    assertThat(captured.extracted().columns().get(0)).isEqualTo(Column.of("ID", DataType.BIGINT));
    assertThat(Files.readAllLines(captured.extracted().file()))
        .containsExactlyInAnyOrder(
            "{\"ID\":\"1\",\"label\":\"\",\"amount\":\"10.50\",\"seen\":\"2024-03-01 10:00:00\","
                + "\"_cdc_op\":\"insert\",\"_cdc_at\":\"2024-03-01 00:00:00.000000\","
                + "\"_cdc_position\":\"1\"}",
            "{\"ID\":\"2\",\"label\":\"b\",\"amount\":null,\"seen\":null,"
                + "\"_cdc_op\":\"insert\",\"_cdc_at\":\"2024-03-01 00:00:00.000000\","
                + "\"_cdc_position\":\"1\"}",
            "{\"ID\":\"1\",\"label\":null,\"amount\":\"10.50\",\"seen\":\"2024-03-01 10:00:00\","
                + "\"_cdc_op\":\"update\",\"_cdc_at\":\"2024-03-02 00:00:00.000000\","
                + "\"_cdc_position\":\"2\"}");
  }

  @Test
  void duplicateKeysFailTheCaptureNamingTheFirstFiveAndTheFile() throws Exception {
    Path files = Files.createDirectories(folder.resolve("files"));
    List<String> lines = new ArrayList<>(List.of("account_id,owner"));
    for (int id = 1; id <= 7; id++) {
      lines.add(id + ",a");
      lines.add(id + ",b");
    }
    lines.add("8,c");
    Path file = write(files, "d_2024-03-01.csv", lines.toArray(String[]::new));
    SourceSpec source = fileSource("d_*.csv", SourceData.Format.CSV, Map.of(), List.of());
    ChangeCapture capture = ChangeCaptures.forFiles(source, List.of(file), folder.resolve("store"));

    assertThatThrownBy(() -> capture(capture, Map.of(), false))
        .isInstanceOf(ExtractFailure.class)
        .hasMessage(
            "Cannot capture source 'd' (file '"
                + file
                + "'): 7 key(s) appear in more than one row of this full snapshot:"
                + " (account_id=1), (account_id=2), (account_id=3), (account_id=4),"
                + " (account_id=5), ...; a snapshot must hold one row per key, so fix the source"
                + " or give it the key that identifies its rows; nothing was loaded and its"
                + " snapshot did not move");
    assertThat(folder.resolve("landing.jsonl")).doesNotExist();
    assertThat(storedSnapshots()).isEmpty();
  }

  @Test
  void aKeyOrDeclaredColumnMissingFromTheFileFailsNamingIt() throws Exception {
    Path files = Files.createDirectories(folder.resolve("files"));
    Path file = write(files, "k.csv", "account_id;owner", "1;Amal");
    SourceSpec wrongKey =
        fileSource(
            "k.csv", SourceData.Format.CSV, Map.of("delimiter", ";"), List.of(), List.of("id"));
    assertThatThrownBy(
            () -> ChangeCaptures.forFiles(wrongKey, List.of(file), folder.resolve("s")).describe())
        .hasMessage(
            "Cannot capture source 'k': its key column 'id' is not one of its columns account_id,"
                + " owner");
    SourceSpec wrongColumn =
        fileSource(
            "k.csv",
            SourceData.Format.CSV,
            Map.of("delimiter", ";"),
            List.of(
                new ColumnSpec("account_id", DataType.BIGINT, Position.NONE),
                new ColumnSpec("name", DataType.STRING, Position.NONE)),
            List.of("account_id"));
    assertThatThrownBy(
            () ->
                ChangeCaptures.forFiles(wrongColumn, List.of(file), folder.resolve("s")).describe())
        .hasMessage(
            "Cannot read source 'k' (file '"
                + file
                + "'): it has no column 'name'; its columns are account_id, owner; every file of a"
                + " snapshot_diff source must have the source's columns");
  }

  @Test
  void aFileNameGivesItsSnapshotTime() {
    assertThat(SnapshotTime.fromName("balances_2024-03-01.csv"))
        .contains(LocalDateTime.of(2024, 3, 1, 0, 0));
    assertThat(SnapshotTime.fromName("x_2024-03-01T09:30.csv"))
        .contains(LocalDateTime.of(2024, 3, 1, 9, 30));
    assertThat(SnapshotTime.fromName("x_2024-03-01 09:30:15.csv"))
        .contains(LocalDateTime.of(2024, 3, 1, 9, 30, 15));
    assertThat(SnapshotTime.fromName("x_2024-03-01_093015.csv"))
        .contains(LocalDateTime.of(2024, 3, 1, 9, 30, 15));
    assertThat(SnapshotTime.fromName("v2024-13-01_2024-02-29.csv"))
        .contains(LocalDateTime.of(2024, 2, 29, 0, 0));
    assertThat(SnapshotTime.fromName("balances.csv")).isEmpty();
  }

  private ChangeCapture tableCapture(String url, String type, String table) {
    SourceSpec source =
        new SourceSpec(
            new Named("crm." + table, Position.NONE),
            new Named("crm", Position.NONE),
            Optional.empty(),
            Optional.of(new Named(table, Position.NONE)),
            Optional.empty(),
            Map.of(),
            List.of(),
            List.of(new Named("account_id", Position.NONE)),
            Optional.of(cdc()),
            Optional.empty(),
            Position.NONE);
    SourceRequest request =
        new SourceRequest(
            source.name().name(),
            new WarehouseConnection("crm", type, url, Map.of()),
            table,
            List.of());
    return ChangeCaptures.forTable(source, request, folder.resolve("store"), "conform_test");
  }

  private static SourceSpec fileSource(
      String glob,
      SourceData.Format format,
      Map<String, String> options,
      List<ColumnSpec> columns) {
    return fileSource(glob, format, options, columns, List.of("account_id"));
  }

  private static SourceSpec fileSource(
      String glob,
      SourceData.Format format,
      Map<String, String> options,
      List<ColumnSpec> columns,
      List<String> key) {
    String name = glob.substring(0, glob.indexOf(glob.contains("_") ? '_' : '.'));
    return new SourceSpec(
        new Named(name, Position.NONE),
        new Named("landing", Position.NONE),
        Optional.of(glob),
        Optional.empty(),
        Optional.of(format),
        options,
        columns,
        key.stream().map(k -> new Named(k, Position.NONE)).toList(),
        Optional.of(cdc()),
        Optional.empty(),
        Position.NONE);
  }

  private static CdcSpec cdc() {
    return new CdcSpec(new Named(CdcSpec.SNAPSHOT_DIFF, Position.NONE), Map.of(), Position.NONE);
  }

  private ChangeCapture.Capture capture(
      ChangeCapture capture, Map<String, String> state, boolean fullRefresh) {
    return capture.capture(
        new CaptureRequest(state, fullRefresh, folder.resolve("landing.jsonl"), rows -> {}));
  }

  /**
   * The landing file's lines, each {@code _cdc_at} checked to lie within [{@code before}, {@code
   * after}] and replaced by {@code AT}.
   */
  private static List<String> landing(
      ChangeCapture.Capture capture, LocalDateTime before, LocalDateTime after) throws Exception {
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(capture.extracted().file())) {
      Matcher at = AT.matcher(line);
      assertThat(at.find()).as(line).isTrue();
      LocalDateTime time = LocalDateTime.parse(at.group(1), ChangeRowWriter.AT);
      assertThat(time).isBetween(before, after);
      lines.add(at.replaceFirst("\"_cdc_at\":\"AT\""));
    }
    return lines;
  }

  private static String row(
      String id, String owner, String note, String amount, String op, String position) {
    return "{\"account_id\":"
        + json(id)
        + ",\"owner\":"
        + json(owner)
        + ",\"note\":"
        + json(note)
        + ",\"amount\":"
        + json(amount)
        + ",\"_cdc_op\":\""
        + op
        + "\",\"_cdc_at\":\"AT\",\"_cdc_position\":\""
        + position
        + "\"}";
  }

  private static String line(
      String id, String owner, String amount, String op, String at, String position) {
    return "{\"account_id\":"
        + json(id)
        + ",\"owner\":"
        + json(owner)
        + ",\"amount\":"
        + json(amount)
        + ",\"_cdc_op\":\""
        + op
        + "\",\"_cdc_at\":\""
        + at
        + "\",\"_cdc_position\":\""
        + position
        + "\"}";
  }

  private static String json(String value) {
    return value == null ? "null" : "\"" + value + "\"";
  }

  private static LocalDateTime now() {
    return LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }

  private static Path write(Path folder, String name, String... lines) throws Exception {
    return Files.write(folder.resolve(name), List.of(lines));
  }

  private static void parquet(Path file, String query) throws SQLException {
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duck.createStatement()) {
      statement.execute("COPY (" + query + ") TO '" + file + "' (FORMAT PARQUET)");
    }
  }

  /** The snapshot tables in the store, by name. */
  private List<String> storedSnapshots() throws SQLException {
    Path file = folder.resolve("store").resolve(SnapshotStore.FILE);
    if (!Files.exists(file)) {
      return List.of();
    }
    List<String> tables = new ArrayList<>();
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:" + file);
        Statement statement = duck.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'snapshot%'"
                    + " ORDER BY table_name")) {
      while (result.next()) {
        tables.add(result.getString(1));
      }
    }
    return tables;
  }
}
