package dev.conform.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conform.spi.Column;
import dev.conform.spi.DataType;
import dev.conform.spi.WarehouseConnection;
import dev.conform.testing.Sql;
import dev.conform.testing.TestMariaDb;
import dev.conform.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code change_log} against real PostgreSQL and MariaDB: the triggers it installs, the net change
 * of each key in a batch, lookback re-reads, purge, and what it says when the log is wrong.
 */
class ChangeLogCaptureTest {
  private static final String AT =
      "\"_cdc_at\":\"\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}\"";

  @TempDir Path folder;

  @Test
  void collapsesEachKeysChangesIntoItsNetChangeOnPostgresql() throws Exception {
    String url = TestPostgres.freshDatabase("conform_changelog");
    netChanges(url, "postgresql", "items (id int PRIMARY KEY, name text)");
  }

  @Test
  void collapsesEachKeysChangesIntoItsNetChangeOnMariaDb() throws Exception {
    String url = TestMariaDb.freshDatabase("conform_changelog");
    netChanges(url, "mariadb", "items (id INT PRIMARY KEY, name VARCHAR(20))");
  }

  private void netChanges(String url, String type, String table) throws Exception {
    Sql.execute(url, "CREATE TABLE " + table);
    SourceRequest request = request(url, type, "items");
    ChangeLogTriggers.Result installed =
        ChangeLogTriggers.install(request, settings("items_changes", 0, false), false, false);
    assertThat(installed.outcome()).isEqualTo(ChangeLogTriggers.Outcome.INSTALLED);
    Sql.execute(url, "INSERT INTO items VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    ChangeLogCapture capture = new ChangeLogCapture(request, settings("items_changes", 0, false));
    assertThat(capture.describe())
        .containsExactly(Column.of("id", DataType.INTEGER), Column.of("name", DataType.STRING));

    ChangeCapture.Capture first = capture(capture, Map.of());
    assertThat(lines(first))
        .containsExactly(
            "{\"id\":\"1\",\"name\":\"a\",\"_cdc_op\":\"insert\",T,\"_cdc_position\":\"1\"}",
            "{\"id\":\"2\",\"name\":\"b\",\"_cdc_op\":\"insert\",T,\"_cdc_position\":\"2\"}",
            "{\"id\":\"3\",\"name\":\"c\",\"_cdc_op\":\"insert\",T,\"_cdc_position\":\"3\"}");
    assertThat(first.state()).containsEntry("change log id:crm.items", "3");
    assertThat(first.from()).isEqualTo("from change log items_changes (all)");

    Sql.execute(
        url,
        // Inserted, changed and deleted within the batch: nothing.
        "INSERT INTO items VALUES (4, 'd')",
        "UPDATE items SET name = 'd2' WHERE id = 4",
        "DELETE FROM items WHERE id = 4",
        // An existing key changed, then deleted: a delete with the values it had.
        "UPDATE items SET name = 'a2' WHERE id = 1",
        "DELETE FROM items WHERE id = 1",
        // Inserted, then changed: an insert with the last values.
        "INSERT INTO items VALUES (5, 'e')",
        "UPDATE items SET name = 'e2' WHERE id = 5",
        // An existing key deleted, then inserted again: an update with the new values.
        "DELETE FROM items WHERE id = 2",
        "INSERT INTO items VALUES (2, 'b2')",
        // A changed key: a delete of the old one, an insert of the new.
        "UPDATE items SET id = 30 WHERE id = 3");
    ChangeCapture.Capture second = capture(capture, first.state());
    assertThat(second.from()).isEqualTo("from change log items_changes past change_id 3");
    assertThat(second.extracted().rows()).isEqualTo(5);
    assertThat(lines(second))
        .containsExactly(
            "{\"id\":\"1\",\"name\":\"a2\",\"_cdc_op\":\"delete\",T,\"_cdc_position\":\"8\"}",
            "{\"id\":\"2\",\"name\":\"b2\",\"_cdc_op\":\"update\",T,\"_cdc_position\":\"12\"}",
            "{\"id\":\"3\",\"name\":\"c\",\"_cdc_op\":\"delete\",T,\"_cdc_position\":\"13\"}",
            "{\"id\":\"5\",\"name\":\"e2\",\"_cdc_op\":\"insert\",T,\"_cdc_position\":\"10\"}",
            "{\"id\":\"30\",\"name\":\"c\",\"_cdc_op\":\"insert\",T,\"_cdc_position\":\"14\"}");
    assertThat(second.state()).containsEntry("change log id:crm.items", "14");

    // Nothing new: no rows, and the mark stays.
    ChangeCapture.Capture idle = capture(capture, second.state());
    assertThat(idle.extracted().rows()).isZero();
    assertThat(idle.state()).containsEntry("change log id:crm.items", "14");

    // Key 30 was inserted at id 14, before the mark; a lookback of 4 reads ids 11 to 14 again with
    // the new ones, and key 30, which the target has, is deleted rather than dropped as new.
    Sql.execute(url, "DELETE FROM items WHERE id = 30", "INSERT INTO items VALUES (6, 'f')");
    ChangeLogCapture lookback = new ChangeLogCapture(request, settings("items_changes", 4, true));
    ChangeCapture.Capture third = capture(lookback, second.state());
    assertThat(lines(third))
        .containsExactly(
            "{\"id\":\"2\",\"name\":\"b2\",\"_cdc_op\":\"update\",T,\"_cdc_position\":\"12\"}",
            "{\"id\":\"3\",\"name\":\"c\",\"_cdc_op\":\"delete\",T,\"_cdc_position\":\"13\"}",
            "{\"id\":\"6\",\"name\":\"f\",\"_cdc_op\":\"insert\",T,\"_cdc_position\":\"16\"}",
            "{\"id\":\"30\",\"name\":\"c\",\"_cdc_op\":\"delete\",T,\"_cdc_position\":\"15\"}");
    assertThat(third.state()).containsEntry("change log id:crm.items", "16");

    // Purge deletes what no later run reads again: ids up to 16 - 4.
    lookback.committed(third.state());
    assertThat(logIds(url)).containsExactly(13L, 14L, 15L, 16L);
    // A state read from another log purges nothing.
    lookback.committed(Map.of("change log id:crm.items", "16"));
    assertThat(logIds(url)).containsExactly(13L, 14L, 15L, 16L);
  }

  @Test
  void failsNamingTheLogIdOfAnOperationItCannotRead() throws Exception {
    String url = TestPostgres.freshDatabase("conform_changelog_op");
    Sql.execute(
        url,
        "CREATE TABLE items (id int PRIMARY KEY, name text)",
        "CREATE TABLE items_changes (change_id bigint PRIMARY KEY, change_op text,"
            + " changed_at timestamp, id int, name text)",
        "INSERT INTO items_changes VALUES (1, 'insert', '2026-01-01 10:00:00', 1, 'a'),"
            + " (2, 'U', '2026-01-01 10:00:01', 1, 'b'), (3, 'upsert', '2026-01-01 10:00:02', 2, 'c')");
    ChangeLogCapture capture =
        new ChangeLogCapture(
            request(url, "postgresql", "items"), settings("items_changes", 0, true));
    Path landing = folder.resolve("items.jsonl");

    assertThatThrownBy(
            () -> capture.capture(new CaptureRequest(Map.of(), false, landing, rows -> {})))
        .isInstanceOf(ExtractFailure.class)
        .hasMessage(
            "Cannot read source 'crm.items' (table 'items' through "
                + connection(url, "postgresql")
                + "): row change_id 3 of its change log table 'items_changes' has change_op"
                + " 'upsert', which is not an operation; write I, U or D (or insert, update,"
                + " delete); nothing was loaded and its position did not move");
    assertThat(landing).doesNotExist();
  }

  @Test
  void describeNamesAMissingLogTableOrColumnWithTheClosestName() throws Exception {
    String url = TestPostgres.freshDatabase("conform_changelog_missing");
    Sql.execute(
        url,
        "CREATE TABLE items (id int PRIMARY KEY, name text)",
        "CREATE TABLE items_changes (change_id bigint, change_op char(1), changed_at timestamp,"
            + " id int, name text)");
    SourceRequest request = request(url, "postgresql", "items");
    String source =
        "Cannot read source 'crm.items' (table 'items' through " + connection(url, "postgresql");

    assertThatThrownBy(
            () -> new ChangeLogCapture(request, settings("item_changes", 0, false)).describe())
        .hasMessage(
            source
                + "): there is no change log table 'item_changes' in 'public'; did you mean"
                + " 'items_changes'?");
    assertThatThrownBy(
            () -> new ChangeLogCapture(request, settings("nothing", 0, false)).describe())
        .hasMessage(
            source
                + "): there is no change log table 'nothing' in 'public'; create it and its"
                + " triggers with conform cdc install-triggers crm.items, or name it with"
                + " log_table");
    ChangeLogSettings typo =
        new ChangeLogSettings(
            List.of("id"), "items_changes", "change_idd", "change_op", "changed_at", false, 0);
    assertThatThrownBy(() -> new ChangeLogCapture(request, typo).describe())
        .hasMessage(
            source
                + "): its change log table 'items_changes' has no column 'change_idd' (its"
                + " id_column); did you mean 'change_id'?");
    ChangeLogSettings noKey =
        new ChangeLogSettings(
            List.of("item_id"), "items_changes", "change_id", "change_op", "changed_at", false, 0);
    assertThatThrownBy(() -> new ChangeLogCapture(request, noKey).describe())
        .hasMessage(
            source
                + "): its change log table 'items_changes' has no column 'item_id' (key column);"
                + " its columns are change_id, change_op, changed_at, id, name");
  }

  private ChangeCapture.Capture capture(ChangeLogCapture capture, Map<String, String> state) {
    return capture.capture(
        new CaptureRequest(state, false, folder.resolve("items.jsonl"), rows -> {}));
  }

  /** The landing file's lines, each with its time checked and written as T. */
  private static List<String> lines(ChangeCapture.Capture capture) throws Exception {
    List<String> lines = Files.readAllLines(capture.extracted().file());
    lines.forEach(l -> assertThat(l).containsPattern(AT));
    return lines.stream().map(l -> l.replaceAll(AT, "T")).toList();
  }

  private static List<Long> logIds(String url) throws Exception {
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet ids =
            statement.executeQuery("SELECT change_id FROM items_changes ORDER BY change_id")) {
      List<Long> all = new java.util.ArrayList<>();
      while (ids.next()) {
        all.add(ids.getLong(1));
      }
      return all;
    }
  }

  private static ChangeLogSettings settings(String log, long lookback, boolean purge) {
    return new ChangeLogSettings(
        List.of("id"), log, "change_id", "change_op", "changed_at", purge, lookback);
  }

  private static WarehouseConnection connection(String url, String type) {
    return new WarehouseConnection("crm", type, url, Map.of());
  }

  private static SourceRequest request(String url, String type, String table) {
    return new SourceRequest("crm.items", connection(url, type), table, List.of());
  }
}
