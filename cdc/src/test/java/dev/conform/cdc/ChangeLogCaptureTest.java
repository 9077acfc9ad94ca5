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

  @Test
  void writersNeedNoGrantOnTheLogWhichLivesInTheTablesSchemaOnPostgresql() throws Exception {
    String url = TestPostgres.freshDatabase("conform_changelog_schema");
    Sql.execute(
        url,
        "DO $$ BEGIN CREATE ROLE conform_log_writer LOGIN; EXCEPTION WHEN duplicate_object THEN"
            + " NULL; END $$",
        "CREATE SCHEMA sales",
        "CREATE TABLE sales.items (id int PRIMARY KEY, name text)",
        // A table of the log's name where the writer's search_path looks: it must stay empty.
        "CREATE TABLE public.items_log (change_id bigint, change_op char(1),"
            + " changed_at timestamp, id int, name text)",
        "GRANT ALL ON public.items_log TO conform_log_writer",
        "GRANT USAGE ON SCHEMA sales TO conform_log_writer",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON sales.items TO conform_log_writer");
    SourceRequest request = request(url, "postgresql", "sales.items");
    ChangeLogTriggers.install(request, settings("items_log", 0, false), false, false);

    String writer = url.replaceAll("user=[^&]*", "user=conform_log_writer");
    Sql.execute(
        writer,
        "INSERT INTO sales.items VALUES (1, 'a')",
        "UPDATE sales.items SET name = 'b' WHERE id = 1");

    assertThat(count(url, "SELECT count(*) FROM sales.items_log")).isEqualTo(2);
    assertThat(count(url, "SELECT count(*) FROM public.items_log")).isZero();
    ChangeCapture.Capture read =
        capture(new ChangeLogCapture(request, settings("items_log", 0, false)), Map.of());
    assertThat(lines(read))
        .containsExactly(
            "{\"id\":\"1\",\"name\":\"b\",\"_cdc_op\":\"insert\",T,\"_cdc_position\":\"2\"}");
  }

  @Test
  void aLogTableCreatedAgainIsReadFromItsStartAndALogBehindTheMarkFails() throws Exception {
    String url = TestPostgres.freshDatabase("conform_changelog_recreated");
    String log =
        "CREATE TABLE items_changes (change_id bigint, change_op char(1), changed_at timestamp,"
            + " id int, name text)";
    Sql.execute(
        url,
        "CREATE TABLE items (id int PRIMARY KEY, name text)",
        log,
        "INSERT INTO items_changes VALUES (1, 'I', now(), 1, 'a'), (2, 'I', now(), 2, 'b'),"
            + " (3, 'I', now(), 3, 'c')");
    SourceRequest request = request(url, "postgresql", "items");
    ChangeLogCapture capture = new ChangeLogCapture(request, settings("items_changes", 0, true));
    ChangeCapture.Capture first = capture(capture, Map.of());
    assertThat(first.state()).containsEntry("change log id:crm.items", "3");

    // Dropped and created again: its ids restart, and the stored mark does not skip them.
    Sql.execute(
        url,
        "DROP TABLE items_changes",
        log,
        "INSERT INTO items_changes VALUES (1, 'U', now(), 1, 'a2'), (2, 'D', now(), 3, 'c')");
    capture.committed(first.state());
    assertThat(logIds(url)).containsExactly(1L, 2L);
    ChangeCapture.Capture second = capture(capture, first.state());
    assertThat(second.from()).isEqualTo("from change log items_changes (all)");
    assertThat(lines(second))
        .containsExactly(
            "{\"id\":\"1\",\"name\":\"a2\",\"_cdc_op\":\"update\",T,\"_cdc_position\":\"1\"}",
            "{\"id\":\"3\",\"name\":\"c\",\"_cdc_op\":\"delete\",T,\"_cdc_position\":\"2\"}");

    // Emptied and refilled from a lower id: a clear failure, not a silent skip.
    Sql.execute(
        url,
        "DELETE FROM items_changes",
        "INSERT INTO items_changes VALUES (1, 'I', now(), 4, 'd')");
    String source =
        "Cannot read source 'crm.items' (table 'items' through " + connection(url, "postgresql");
    assertThatThrownBy(() -> capture(capture, second.state()))
        .isInstanceOf(ExtractFailure.class)
        .hasMessage(
            source
                + "): its change log table 'items_changes' has change_id values up to 1, below"
                + " the 2 the last run read up to: it was emptied or created again, and its ids"
                + " restarted; rebuild the models that read it with conform run --full-refresh"
                + " (nothing was loaded and its position did not move)");

    // A row without an id: named, not an internal error.
    Sql.execute(url, "INSERT INTO items_changes VALUES (NULL, 'I', now(), 5, 'e')");
    assertThatThrownBy(
            () ->
                capture.capture(
                    new CaptureRequest(Map.of(), true, folder.resolve("items.jsonl"), rows -> {})))
        .isInstanceOf(ExtractFailure.class)
        .hasMessage(
            source
                + "): a row of its change log table 'items_changes' has no change_id (NULL) for"
                + " key 5; give every log row an increasing id (an identity or auto-increment"
                + " column); nothing was loaded and its position did not move");
  }

  @Test
  void theSeedSeesAWriteThatCommitsWhileItWaitsEvenAtRepeatableRead() throws Exception {
    String url = TestPostgres.freshDatabase("conform_changelog_seed");
    Sql.execute(
        url,
        "CREATE TABLE items (id int PRIMARY KEY, name text)",
        "INSERT INTO items VALUES (1, 'a')");
    String database = url.replaceAll(".*/([^/?]+)\\?.*", "$1");
    Sql.execute(
        url,
        "ALTER DATABASE " + database + " SET default_transaction_isolation = 'repeatable read'");
    SourceRequest request = request(url, "postgresql", "items");
    try (Connection writer = DriverManager.getConnection(url)) {
      writer.setAutoCommit(false);
      try (Statement statement = writer.createStatement()) {
        statement.execute("INSERT INTO items VALUES (2, 'b')");
      }
      java.util.concurrent.CompletableFuture<ChangeLogTriggers.Result> install =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () ->
                  ChangeLogTriggers.install(
                      request, settings("items_changes", 0, false), false, false));
      // The install waits on the writer's lock on the table; then the writer commits.
      while (count(
              url,
              "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = '"
                  + database
                  + "'")
          == 0) {
        assertThat(install).isNotDone();
      }
      writer.commit();
      assertThat(install.get().outcome()).isEqualTo(ChangeLogTriggers.Outcome.INSTALLED);
    }
    assertThat(count(url, "SELECT count(*) FROM items_changes")).isEqualTo(2);
  }

  @Test
  void aFailedSeedLeavesNoTriggersBehindOnMariaDb() throws Exception {
    String url = TestMariaDb.freshDatabase("conform_changelog_undo");
    Sql.execute(
        url,
        "CREATE TABLE items (id INT PRIMARY KEY, made DATETIME)",
        "SET sql_mode = ''",
        "INSERT INTO items VALUES (1, '0000-00-00 00:00:00')");
    // A server that rejects zero dates cannot copy the row into the log: the seed fails.
    SourceRequest strict =
        request(url + "&sessionVariables=sql_mode=TRADITIONAL", "mariadb", "items");

    assertThatThrownBy(
            () ->
                ChangeLogTriggers.install(
                    strict, settings("items_changes", 0, false), false, false))
        .isInstanceOf(ExtractFailure.class)
        .hasMessageStartingWith(
            "Cannot install the change log of source 'crm.items' (table 'items' through "
                + connection(url + "&sessionVariables=sql_mode=TRADITIONAL", "mariadb")
                + "): ")
        .hasMessageContaining("Incorrect datetime value")
        .hasMessageEndingWith("; nothing was created");

    assertThat(
            count(
                url,
                "SELECT count(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA ="
                    + " DATABASE()"))
        .isZero();
    assertThat(
            count(
                url,
                "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"))
        .isEqualTo(1);
    // The application writes on.
    Sql.execute(url, "INSERT INTO items VALUES (2, NOW())", "DELETE FROM items WHERE id = 1");
  }

  @Test
  void aPartialSetOfTriggersIsNamedAndReplacedOnMariaDb() throws Exception {
    String url = TestMariaDb.freshDatabase("conform_changelog_partial");
    Sql.execute(url, "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20))");
    SourceRequest request = request(url, "mariadb", "items");
    ChangeLogSettings settings = settings("items_changes", 0, false);
    ChangeLogTriggers.install(request, settings, false, false);
    Sql.execute(url, "DROP TRIGGER items_changes_capture_insert");

    assertThatThrownBy(() -> ChangeLogTriggers.install(request, settings, false, false))
        .isInstanceOf(ExtractFailure.class)
        .hasMessage(
            "Cannot install the change log of source 'crm.items' (table 'items' through "
                + connection(url, "mariadb")
                + "): only 2 of the 3 triggers of its change log are installed"
                + " (items_changes_capture_delete, items_changes_capture_update); run conform cdc"
                + " install-triggers crm.items --replace");
    assertThat(ChangeLogTriggers.install(request, settings, true, false).outcome())
        .isEqualTo(ChangeLogTriggers.Outcome.INSTALLED);
    assertThat(ChangeLogTriggers.install(request, settings, false, false).outcome())
        .isEqualTo(ChangeLogTriggers.Outcome.ALREADY_INSTALLED);

    // The log's time is the row's change in UTC, with microseconds, whatever the session's zone.
    try (Connection writer = DriverManager.getConnection(url);
        Statement statement = writer.createStatement()) {
      statement.execute("SET time_zone = '+05:30'");
      java.time.LocalDateTime before = utcNow(statement);
      statement.execute("INSERT INTO items VALUES (1, 'a')");
      java.time.LocalDateTime after = utcNow(statement);
      try (ResultSet logged =
          statement.executeQuery("SELECT changed_at FROM items_changes WHERE id = 1")) {
        assertThat(logged.next()).isTrue();
        java.time.LocalDateTime at = logged.getObject(1, java.time.LocalDateTime.class);
        assertThat(at).isBetween(before, after);
      }
    }
  }

  private static java.time.LocalDateTime utcNow(Statement statement) throws Exception {
    try (ResultSet now = statement.executeQuery("SELECT UTC_TIMESTAMP(6)")) {
      now.next();
      return now.getObject(1, java.time.LocalDateTime.class);
    }
  }

  private static long count(String url, String sql) throws Exception {
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getLong(1);
    }
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
