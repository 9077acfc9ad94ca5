package dev.conform.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conform.dsl.CdcSpec;
import dev.conform.dsl.Named;
import dev.conform.dsl.Position;
import dev.conform.dsl.SourceSpec;
import dev.conform.spi.WarehouseConnection;
import dev.conform.testing.Sql;
import dev.conform.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * snapshot_diff of a PostgreSQL table after runs that did not commit: the warehouse may hold the
 * stored snapshot or any snapshot those runs took (a run killed, or whose catalog write failed,
 * after the warehouse committed), and replaying the next capture on any of them gives the table as
 * it is now; a capture that finds nothing keeps nothing, and commit keeps the stored snapshot only.
 */
class SnapshotDiffUnconfirmedRunTest {
  private static final Pattern FIELD = Pattern.compile("\"([^\"]+)\":(null|\"([^\"]*)\")");

  @TempDir Path folder;

  @Test
  void keysChangedBackAfterAnUnconfirmedRunAreLoadedAsTheyAreNow() throws Exception {
    String url = TestPostgres.freshDatabase("conform_snapdiff_unconfirmed");
    Sql.execute(
        url,
        "CREATE TABLE balances (account_id int PRIMARY KEY, owner text)",
        "INSERT INTO balances VALUES (1, 'Amal'), (2, 'Omar'), (3, 'Nour'), (4, 'Hana')");
    ChangeCapture capture = tableCapture(url);
    ChangeCapture.Capture first = capture(capture, Map.of());
    capture.committed(first.state());
    Map<String, String> stored = first.state();
    Map<String, String> atOne = replay(new TreeMap<>(), first);

    // Run 2 lands 1 changed, 2 deleted, 3 changed and 5 new, and dies after the warehouse
    // committed them but before the catalog stored its state.
    Sql.execute(
        url,
        "UPDATE balances SET owner = 'Amala' WHERE account_id = 1",
        "DELETE FROM balances WHERE account_id = 2",
        "UPDATE balances SET owner = 'Nora' WHERE account_id = 3",
        "INSERT INTO balances VALUES (5, 'Sami')");
    ChangeCapture.Capture second = capture(capture, stored);
    assertThat(second.from())
        .isEqualTo("from table balances: 1 inserted, 2 updated, 1 deleted against snapshot 1");
    Map<String, String> atTwo = replay(atOne, second);
    String secondAt = field(rows(second).get(0), "_cdc_at");
    assertThat(storedSnapshots()).containsExactly("snapshot_1_1", "snapshot_1_2");

    // 1 changes back, 2 is restored as it was, and 6 is new: against the stored snapshot 1
    // neither 1 nor 2 changed, but a warehouse that holds snapshot 2 has them wrong.
    Sql.execute(
        url,
        "UPDATE balances SET owner = 'Amal' WHERE account_id = 1",
        "INSERT INTO balances VALUES (2, 'Omar'), (6, 'Rami')");
    ChangeCapture.Capture third = capture(capture, stored);

    assertThat(third.from())
        .isEqualTo(
            "from table balances: 2 inserted, 1 updated, 0 deleted against snapshot 1, and 2"
                + " key(s) as they are now that changed in snapshot 2 of a run that did not"
                + " commit");
    assertThat(third.extracted().rows()).isEqualTo(5);
    assertThat(third.state()).containsEntry("snapshot:crm.balances", "3");
    List<String> rows = rows(third);
    String at = field(rows.get(0), "_cdc_at");
    assertThat(at).isGreaterThan(secondAt);
    assertThat(rows)
        .containsExactlyInAnyOrder(
            row("1", "Amal", "update", at, "3"),
            row("2", "Omar", "update", at, "3"),
            row("3", "Nora", "update", at, "3"),
            row("5", "Sami", "insert", at, "3"),
            row("6", "Rami", "insert", at, "3"));
    Map<String, String> now = table(url);
    assertThat(replay(atOne, third)).as("from the stored snapshot").isEqualTo(now);
    assertThat(replay(atTwo, third)).as("from the unconfirmed snapshot").isEqualTo(now);
    assertThat(storedSnapshots()).containsExactly("snapshot_1_1", "snapshot_1_2", "snapshot_1_3");

    // That run dies in the same window too; the next compares 1, 2, 3 and the table now.
    Map<String, String> atThree = replay(atTwo, third);
    Sql.execute(
        url,
        "DELETE FROM balances WHERE account_id = 6",
        "UPDATE balances SET owner = 'Sam' WHERE account_id = 5");
    ChangeCapture.Capture fourth = capture(capture, stored);

    assertThat(fourth.from())
        .isEqualTo(
            "from table balances: 1 inserted, 1 updated, 0 deleted against snapshot 1, and 3"
                + " key(s) as they are now that changed in snapshots 2 to 3 of runs that did not"
                + " commit");
    String later = field(rows(fourth).get(0), "_cdc_at");
    assertThat(rows(fourth))
        .containsExactlyInAnyOrder(
            row("1", "Amal", "update", later, "4"),
            row("2", "Omar", "update", later, "4"),
            row("3", "Nora", "update", later, "4"),
            row("5", "Sam", "insert", later, "4"),
            "{\"account_id\":\"6\",\"owner\":null,\"_cdc_op\":\"delete\",\"_cdc_at\":\""
                + later
                + "\",\"_cdc_position\":\"4\"}");
    now = table(url);
    assertThat(replay(atOne, fourth)).isEqualTo(now);
    assertThat(replay(atTwo, fourth)).isEqualTo(now);
    assertThat(replay(atThree, fourth)).isEqualTo(now);

    capture.committed(fourth.state());
    assertThat(storeTables()).containsExactly("snapshot_1_4");
    ChangeCapture.Capture same = capture(capture, fourth.state());
    assertThat(same.from())
        .isEqualTo("from table balances: 0 inserted, 0 updated, 0 deleted against snapshot 4");
  }

  @Test
  void aCaptureThatFailsOrFindsNothingLeavesOnlyTheStoredSnapshot() throws Exception {
    String url = TestPostgres.freshDatabase("conform_snapdiff_unconfirmed");
    Sql.execute(
        url,
        "CREATE TABLE balances (account_id int, owner text)",
        "INSERT INTO balances VALUES (1, 'Amal'), (2, 'Omar')");
    ChangeCapture capture = tableCapture(url);
    ChangeCapture.Capture first = capture(capture, Map.of());
    capture.committed(first.state());

    // Unchanged, again and again: nothing to load, so nothing is kept (the model is up to date
    // and no state is stored).
    for (int run = 0; run < 2; run++) {
      ChangeCapture.Capture same = capture(capture, first.state());
      assertThat(same.extracted().rows()).isZero();
      assertThat(same.state()).containsEntry("snapshot:crm.balances", "1");
      assertThat(storeTables()).containsExactly("snapshot_1_1");
    }

    // A capture that fails while it compares leaves no snapshot of its own.
    Sql.execute(url, "INSERT INTO balances VALUES (2, 'Omar again')");
    assertThatThrownBy(() -> capture(capture, first.state()))
        .isInstanceOf(ExtractFailure.class)
        .hasMessageContaining("1 key(s) appear in more than one row of this full snapshot");
    assertThat(storeTables()).containsExactly("snapshot_1_1");

    Sql.execute(url, "DELETE FROM balances WHERE owner = 'Omar again'");
    Sql.execute(url, "UPDATE balances SET owner = 'Amala' WHERE account_id = 1");
    ChangeCapture.Capture next = capture(capture, first.state());
    assertThat(next.from())
        .isEqualTo("from table balances: 0 inserted, 1 updated, 0 deleted against snapshot 1");
    assertThat(next.state()).containsEntry("snapshot:crm.balances", "2");
    capture.committed(next.state());
    assertThat(storeTables()).containsExactly("snapshot_1_2");
  }

  private ChangeCapture tableCapture(String url) {
    SourceSpec source =
        new SourceSpec(
            new Named("crm.balances", Position.NONE),
            new Named("crm", Position.NONE),
            Optional.empty(),
            Optional.of(new Named("balances", Position.NONE)),
            Optional.empty(),
            Map.of(),
            List.of(),
            List.of(new Named("account_id", Position.NONE)),
            Optional.of(
                new CdcSpec(
                    new Named(CdcSpec.SNAPSHOT_DIFF, Position.NONE), Map.of(), Position.NONE)),
            Optional.empty(),
            Position.NONE);
    SourceRequest request =
        new SourceRequest(
            source.name().name(),
            new WarehouseConnection("crm", "postgresql", url, Map.of()),
            "balances",
            List.of());
    return ChangeCaptures.forTable(source, request, folder.resolve("store"), "conform_test");
  }

  private ChangeCapture.Capture capture(ChangeCapture capture, Map<String, String> state) {
    return capture.capture(
        new CaptureRequest(state, false, folder.resolve("landing.jsonl"), rows -> {}));
  }

  private static List<String> rows(ChangeCapture.Capture capture) throws Exception {
    return new ArrayList<>(Files.readAllLines(capture.extracted().file()));
  }

  /** The value of {@code name} in a landing line (values are text or null, no quotes inside). */
  private static String field(String line, String name) {
    Matcher matcher = FIELD.matcher(line);
    while (matcher.find()) {
      if (matcher.group(1).equals(name)) {
        return matcher.group(3);
      }
    }
    throw new AssertionError("no " + name + " in " + line);
  }

  /**
   * What a target that held {@code target} (owner by account) holds once the capture's changes are
   * applied in their order: the highest position last, a delete removing the key.
   */
  private static Map<String, String> replay(
      Map<String, String> target, ChangeCapture.Capture capture) throws Exception {
    Map<String, String> result = new TreeMap<>(target);
    List<String> rows = rows(capture);
    rows.sort(Comparator.comparingLong(r -> Long.parseLong(field(r, "_cdc_position"))));
    for (String row : rows) {
      String key = field(row, "account_id");
      if (field(row, "_cdc_op").equals("delete")) {
        result.remove(key);
      } else {
        result.put(key, field(row, "owner"));
      }
    }
    return result;
  }

  private static Map<String, String> table(String url) throws SQLException {
    Map<String, String> rows = new TreeMap<>();
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT account_id, owner FROM balances")) {
      while (result.next()) {
        rows.put(result.getString(1), result.getString(2));
      }
    }
    return rows;
  }

  private static String row(String id, String owner, String op, String at, String position) {
    return "{\"account_id\":\""
        + id
        + "\",\"owner\":\""
        + owner
        + "\",\"_cdc_op\":\""
        + op
        + "\",\"_cdc_at\":\""
        + at
        + "\",\"_cdc_position\":\""
        + position
        + "\"}";
  }

  private List<String> storedSnapshots() throws SQLException {
    return storeTables().stream().filter(t -> t.startsWith("snapshot_")).toList();
  }

  /** Every table in the store, by name. */
  private List<String> storeTables() throws SQLException {
    Path file = folder.resolve("store").resolve(SnapshotStore.FILE);
    List<String> tables = new ArrayList<>();
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:" + file);
        Statement statement = duck.createStatement();
        ResultSet result =
            statement.executeQuery("SELECT table_name FROM duckdb_tables() ORDER BY table_name")) {
      while (result.next()) {
        tables.add(result.getString(1));
      }
    }
    return tables;
  }
}
