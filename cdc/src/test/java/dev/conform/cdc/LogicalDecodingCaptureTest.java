package dev.conform.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.conform.spi.Column;
import dev.conform.spi.WarehouseConnection;
import dev.conform.testing.Sql;
import dev.conform.testing.TestPostgres;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;

/**
 * {@code cdc: log} on a real PostgreSQL with {@code wal_level=logical}: what the slot's changes
 * become, the first snapshot, re-delivery, and the failures users meet.
 */
class LogicalDecodingCaptureTest {
  private static final JsonFactory JSON = new JsonFactory();
  private static String url;

  @TempDir Path folder;

  @BeforeAll
  static void database() throws SQLException {
    url = TestPostgres.freshLogicalDatabase("conform_logical");
  }

  @Test
  void decodesEveryCommonTypeAsTheSnapshotReadsItAndKeepsNullApartFromEmpty() throws Exception {
    Sql.execute(
        url,
        "CREATE TABLE typed (id int PRIMARY KEY, big bigint, amount numeric(12,2), wide numeric,"
            + " name text, code varchar(5), flag boolean, born date, seen timestamp(6),"
            + " at timestamptz)",
        "INSERT INTO typed VALUES (1, 9000000000, 12.50, 1.000000001, 'Ann', '', true,"
            + " '2026-01-31', '2026-02-01 10:15:30.25', '2026-02-01 12:00:00+02'),"
            + " (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
    ChangeCapture capture = capture("typed", "conform_t_typed");
    ChangeCapture.Capture first = capture.capture(request(Map.of(), false));
    List<String> snapshot = values(first);
    List<String> snapshotOps = ops(first);
    Sql.execute(
        url,
        "INSERT INTO typed SELECT id + 10, big, amount, wide, name, code, flag, born, seen, at"
            + " FROM typed");

    ChangeCapture.Capture second = capture.capture(request(first.state(), false));

    List<String> expected =
        List.of(
            "id=1 big=9000000000 amount=12.50 wide=1.000000001 name=Ann code= flag=true"
                + " born=2026-01-31 seen=2026-02-01 10:15:30.25 at=2026-02-01 10:00:00",
            "id=2 big=null amount=null wide=null name=null code=null flag=null born=null"
                + " seen=null at=null");
    assertThat(first.extracted().rows()).isEqualTo(2);
    assertThat(snapshot).containsExactlyElementsOf(expected);
    assertThat(snapshotOps).containsExactly("insert", "insert");
    assertThat(second.extracted().rows()).isEqualTo(2);
    assertThat(values(second))
        .containsExactlyElementsOf(expected.stream().map(v -> v.replace("id=", "id=1")).toList());
    assertThat(ops(second)).containsExactly("insert", "insert");
  }

  @Test
  void infiniteBcAndFarDatesReadTheSameFromTheSnapshotAndTheLog() throws Exception {
    Sql.execute(
        url,
        "CREATE TABLE dated (id int PRIMARY KEY, born date, seen timestamp, at timestamptz)",
        "INSERT INTO dated VALUES (1, 'infinity', 'infinity', 'infinity'),"
            + " (2, '-infinity', '-infinity', '-infinity'),"
            + " (3, '0044-03-15 BC', '0044-03-15 10:00:00.5 BC', '0044-03-15 10:00:00 BC'),"
            + " (4, '12345-06-07', '12345-06-07 08:09:10', '12345-06-07 08:09:10+02')");
    ChangeCapture capture = capture("dated", "conform_t_dated");
    ChangeCapture.Capture first = capture.capture(request(Map.of(), false));
    List<String> snapshot = values(first);
    Sql.execute(url, "INSERT INTO dated SELECT id + 10, born, seen, at FROM dated");

    ChangeCapture.Capture second = capture.capture(request(first.state(), false));

    assertThat(snapshot)
        .containsExactly(
            "id=1 born=+999999999-12-31 seen=+999999999-12-31 23:59:59.999999999"
                + " at=+999999999-12-31 23:59:59.999999999",
            "id=2 born=-999999999-01-01 seen=-999999999-01-01 00:00:00"
                + " at=-999999999-01-01 00:00:00",
            "id=3 born=-0043-03-15 seen=-0043-03-15 10:00:00.5 at=-0043-03-15 10:00:00",
            "id=4 born=+12345-06-07 seen=+12345-06-07 08:09:10 at=+12345-06-07 06:09:10");
    assertThat(values(second))
        .containsExactlyElementsOf(snapshot.stream().map(v -> v.replace("id=", "id=1")).toList());
  }

  @Test
  void ordersChangesByCommitAndWithinATransactionByTheirOrder() throws Exception {
    Sql.execute(
        url,
        "CREATE TABLE orders (id int PRIMARY KEY, status text)",
        "INSERT INTO orders VALUES (0, 'old')");
    ChangeCapture capture = capture("orders", "conform_t_orders");
    ChangeCapture.Capture first = capture.capture(request(Map.of(), false));
    try (Connection a = DriverManager.getConnection(url);
        Connection b = DriverManager.getConnection(url);
        Statement sa = a.createStatement();
        Statement sb = b.createStatement()) {
      a.setAutoCommit(false);
      b.setAutoCommit(false);
      // A starts first, B commits first: B's changes come first.
      sa.execute("INSERT INTO orders VALUES (1, 'new')");
      sa.execute("UPDATE orders SET status = 'paid' WHERE id = 1");
      sb.execute("INSERT INTO orders VALUES (2, 'new')");
      sb.execute("UPDATE orders SET status = 'sent' WHERE id = 2");
      b.commit();
      sa.execute("UPDATE orders SET status = 'sent' WHERE id = 1");
      a.commit();
    }
    Sql.execute(url, "UPDATE orders SET status = 'done' WHERE id = 1", "DELETE FROM orders");

    ChangeCapture.Capture second = capture.capture(request(first.state(), false));

    List<Map<String, String>> rows = rows(second);
    assertThat(rows.stream().map(r -> r.get("_cdc_op") + " " + r.get("id") + " " + r.get("status")))
        .containsExactly(
            "insert 2 new",
            "update 2 sent",
            "insert 1 new",
            "update 1 paid",
            "update 1 sent",
            "update 1 done",
            "delete 0 null",
            "delete 2 null",
            "delete 1 null");
    // One commit time per transaction, positions rising through and across transactions.
    List<BigInteger> positions =
        rows.stream().map(r -> new BigInteger(r.get("_cdc_position"))).toList();
    assertThat(positions).isSorted().doesNotHaveDuplicates();
    assertThat(positions.get(1).subtract(positions.get(0))).isEqualTo(BigInteger.ONE);
    assertThat(positions.get(4).subtract(positions.get(2))).isEqualTo(BigInteger.TWO);
    assertThat(rows.get(0).get("_cdc_at")).isEqualTo(rows.get(1).get("_cdc_at"));
    assertThat(rows.get(2).get("_cdc_at")).isEqualTo(rows.get(4).get("_cdc_at"));
    assertThat(rows.get(6).get("_cdc_at")).isEqualTo(rows.get(8).get("_cdc_at"));
    assertThat(rows.stream().map(r -> r.get("_cdc_at")).toList()).isSorted();
    assertThat(rows.get(0).get("_cdc_at"))
        .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
  }

  @Test
  void aKeyChangingUpdateIsADeleteAndAnInsertAndDeletesCarryWhatTheIdentityLogs() throws Exception {
    Sql.execute(
        url,
        "CREATE TABLE people (id int PRIMARY KEY, name text, city text)",
        "INSERT INTO people VALUES (1, 'Amal', 'Cairo'), (2, 'Omar', 'Giza')");
    ChangeCapture capture = capture("people", "conform_t_people");
    ChangeCapture.Capture first = capture.capture(request(Map.of(), false));
    Sql.execute(
        url,
        "UPDATE people SET id = 5, city = 'Luxor' WHERE id = 1",
        "DELETE FROM people WHERE id = 2",
        "ALTER TABLE people REPLICA IDENTITY FULL",
        "UPDATE people SET id = 6 WHERE id = 5",
        "DELETE FROM people WHERE id = 6");

    ChangeCapture.Capture second = capture.capture(request(first.state(), false));

    assertThat(values(second))
        .containsExactly(
            "id=1 name=null city=null",
            "id=5 name=Amal city=Luxor",
            "id=2 name=null city=null",
            "id=5 name=Amal city=Luxor",
            "id=6 name=Amal city=Luxor",
            "id=6 name=Amal city=Luxor");
    assertThat(ops(second))
        .containsExactly("delete", "insert", "delete", "delete", "insert", "delete");
  }

  @Test
  void anUnchangedLargeValueComesFromTheOldRowOrFailsWithoutIt() throws Exception {
    Sql.execute(
        url,
        "CREATE TABLE notes (id int PRIMARY KEY, body text, tag text)",
        "ALTER TABLE notes ALTER COLUMN body SET STORAGE EXTERNAL",
        "INSERT INTO notes VALUES (1, repeat('x', 10000), 'a')",
        "ALTER TABLE notes REPLICA IDENTITY FULL");
    ChangeCapture capture = capture("notes", "conform_t_notes");
    ChangeCapture.Capture first = capture.capture(request(Map.of(), false));
    Sql.execute(url, "UPDATE notes SET tag = 'b'");

    ChangeCapture.Capture second = capture.capture(request(first.state(), false));

    assertThat(rows(second)).hasSize(1);
    assertThat(rows(second).get(0).get("body")).isEqualTo("x".repeat(10000));
    assertThat(rows(second).get(0).get("tag")).isEqualTo("b");

    Sql.execute(url, "ALTER TABLE notes REPLICA IDENTITY DEFAULT", "UPDATE notes SET tag = 'c'");
    assertThatThrownBy(() -> capture.capture(request(second.state(), false)))
        .isInstanceOf(ExtractFailure.class)
        .hasMessageStartingWith(
            "Cannot read source 'crm.notes' (table 'notes' through connection 'crm' (postgresql,")
        .hasMessageContaining(
            ") left out column 'body', a large (TOASTed) value it did not change, and the"
                + " table's replica identity does not log the old row; run ALTER TABLE"
                + " \"public\".\"notes\" REPLICA IDENTITY FULL, then rebuild the models that read"
                + " it with conform run --full-refresh MODEL");
    assertThat(landing()).doesNotExist();
  }

  @Test
  void theSnapshotAndTheStreamNeitherLoseNorRepeatConcurrentWrites() throws Exception {
    Sql.execute(
        url,
        "CREATE TABLE busy (id int PRIMARY KEY, v int)",
        "INSERT INTO busy SELECT n, 0 FROM generate_series(1, 200) n");
    AtomicBoolean stop = new AtomicBoolean();
    CompletableFuture<Integer> writer =
        CompletableFuture.supplyAsync(
            () -> {
              try (Connection connection = DriverManager.getConnection(url);
                  Statement statement = connection.createStatement()) {
                int id = 1000;
                // Writes before, during and after the first capture, each in a transaction.
                while (!stop.get() || id < 1100) {
                  statement.execute("INSERT INTO busy VALUES (" + id + ", 0)");
                  statement.execute("UPDATE busy SET v = v + 1 WHERE id = " + (id % 200 + 1));
                  id++;
                }
                return id;
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            });
    ChangeCapture capture = capture("busy", "conform_t_busy");
    ChangeCapture.Capture first = capture.capture(request(Map.of(), false));
    List<Map<String, String>> snapshot = rows(first);
    stop.set(true);
    writer.join();

    ChangeCapture.Capture second = capture.capture(request(first.state(), false));

    List<Map<String, String>> all = new ArrayList<>(snapshot);
    all.addAll(rows(second));
    Map<String, String> replayed = new TreeMap<>();
    Map<String, Integer> inserts = new TreeMap<>();
    all.stream()
        .sorted(
            (x, y) ->
                new BigInteger(x.get("_cdc_position"))
                    .compareTo(new BigInteger(y.get("_cdc_position"))))
        .forEach(
            r -> {
              replayed.put(r.get("id"), r.get("v"));
              if (r.get("_cdc_op").equals("insert")) {
                inserts.merge(r.get("id"), 1, Integer::sum);
              }
            });
    assertThat(replayed).isEqualTo(table("SELECT id, v FROM busy"));
    assertThat(inserts.values()).containsOnly(1);
    // Should a row ever miss its insert, say which, with the snapshot's position and its events.
    List<String> missing =
        replayed.keySet().stream().filter(id -> !inserts.containsKey(id)).toList();
    assertThat(missing)
        .as(
            "rows without an insert; the snapshot's rows are at %s; their events: %s",
            snapshot.isEmpty() ? "-" : snapshot.get(0).get("_cdc_position"),
            all.stream().filter(r -> missing.contains(r.get("id"))).toList())
        .isEmpty();
    assertThat(inserts).hasSameSizeAs(replayed);
  }

  @Test
  void whatIsNotAcknowledgedIsReadAgainAndANoChangeRunAcknowledgesAtOnce() throws Exception {
    Sql.execute(url, "CREATE TABLE again (id int PRIMARY KEY, v text)");
    Sql.execute(url, "CREATE TABLE other (id int PRIMARY KEY)");
    ChangeCapture capture = capture("again", "conform_t_again");
    // An empty table gives no run, so no state: the slot goes, and the next run starts over.
    assertThat(capture.capture(request(Map.of(), false)).extracted().rows()).isZero();
    assertThat(confirmed("conform_t_again_1")).isNull();
    Sql.execute(url, "INSERT INTO again VALUES (0, 'z')");
    ChangeCapture.Capture first = capture.capture(request(Map.of(), false));
    assertThat(first.extracted().rows()).isEqualTo(1);
    Sql.execute(url, "INSERT INTO again VALUES (1, 'a')", "UPDATE again SET v = 'b' WHERE id = 1");

    ChangeCapture.Capture second = capture.capture(request(first.state(), false));
    String read = Files.readString(landing());
    ChangeCapture.Capture repeated = capture.capture(request(first.state(), false));

    assertThat(second.extracted().rows()).isEqualTo(2);
    assertThat(Files.readString(landing())).isEqualTo(read);
    assertThat(repeated.state()).isEqualTo(second.state());

    capture.committed(second.state());
    assertThat(confirmed("conform_t_again_1")).isEqualTo(second.state().get("log lsn:crm.again"));
    Sql.execute(url, "INSERT INTO other VALUES (1)");
    ChangeCapture.Capture nothing = capture.capture(request(second.state(), false));
    assertThat(nothing.extracted().rows()).isZero();
    // Nothing of the table was read: the slot moved on by itself.
    assertThat(confirmed("conform_t_again_1")).isEqualTo(nothing.state().get("log lsn:crm.again"));
    assertThat(nothing.state().get("log lsn:crm.again"))
        .isNotEqualTo(second.state().get("log lsn:crm.again"));
  }

  @Test
  void aTruncateOrALostSlotFailsAndSaysToRebuild() throws Exception {
    Sql.execute(url, "CREATE TABLE gone (id int PRIMARY KEY)", "INSERT INTO gone VALUES (1)");
    ChangeCapture capture = capture("gone", "conform_t_gone");
    ChangeCapture.Capture first = capture.capture(request(Map.of(), false));
    Sql.execute(url, "TRUNCATE gone");

    assertThatThrownBy(() -> capture.capture(request(first.state(), false)))
        .isInstanceOf(ExtractFailure.class)
        .hasMessageStartingWith("Cannot read source 'crm.gone' (table 'gone' through connection")
        .hasMessageContaining("): table \"public\".\"gone\" was truncated (at ")
        .hasMessageEndingWith(
            "), and a truncate does not say which rows it removed; rebuild the models that read it"
                + " with conform run --full-refresh MODEL");

    Sql.execute(url, "SELECT pg_drop_replication_slot('conform_t_gone_1')");
    assertThatThrownBy(() -> capture.capture(request(first.state(), false)))
        .isInstanceOf(ExtractFailure.class)
        .hasMessageEndingWith(
            "): replication slot conform_t_gone_1 was dropped, so changes since the last run cannot"
                + " be read; rebuild the models that read it with conform run --full-refresh"
                + " MODEL");

    ChangeCapture.Capture rebuilt = capture.capture(request(first.state(), true));
    assertThat(rebuilt.extracted().rows()).isZero();
    assertThat(rebuilt.from()).contains("of new replication slot conform_t_gone_2");
  }

  @Test
  void aUserWithoutReplicationOrWhoCannotPublishIsToldWhatToGrant() throws Exception {
    Sql.execute(
        url,
        "CREATE TABLE guarded (id int PRIMARY KEY)",
        "DROP ROLE IF EXISTS conform_plain",
        "DROP ROLE IF EXISTS conform_replicator",
        "CREATE ROLE conform_plain LOGIN",
        "CREATE ROLE conform_replicator LOGIN REPLICATION",
        "GRANT SELECT ON guarded TO conform_plain, conform_replicator");
    ChangeCapture plain =
        new LogicalDecodingCapture(
            request("guarded", url.replace("user=postgres", "user=conform_plain")),
            List.of(),
            Optional.empty(),
            "conform_t_guarded");

    assertThatThrownBy(() -> plain.capture(request(Map.of(), false)))
        .isInstanceOf(ExtractFailure.class)
        .hasMessageEndingWith(
            "): user 'conform_plain' may not use replication; grant it (ALTER ROLE"
                + " \"conform_plain\" WITH REPLICATION) or connect as a user that has the"
                + " REPLICATION privilege");
    assertThatThrownBy(plain::describe).hasMessageContaining("may not use replication");

    ChangeCapture replicator =
        new LogicalDecodingCapture(
            request("guarded", url.replace("user=postgres", "user=conform_replicator")),
            List.of(),
            Optional.empty(),
            "conform_t_guarded");
    assertThatThrownBy(() -> replicator.capture(request(Map.of(), false)))
        .isInstanceOf(ExtractFailure.class)
        .hasMessageContaining(
            "): cannot create publication conform_t_guarded for table \"public\".\"guarded\": ")
        .hasMessageEndingWith(
            "; the connection's user needs the CREATE privilege on the database and to own the"
                + " table, or an owner can run CREATE PUBLICATION \"conform_t_guarded\" FOR"
                + " TABLE \"public\".\"guarded\" once");
  }

  @Test
  void aDeadServerFailsNamingTheSourceWithoutThePassword() {
    String dead =
        url.replaceAll("//([^:/]+):\\d+/", "//$1:1/")
            .replace("user=postgres", "user=postgres&password=secret");
    ChangeCapture capture =
        new LogicalDecodingCapture(
            request("t", dead), List.of(), Optional.empty(), "conform_t_dead");

    assertThatThrownBy(() -> capture.capture(request(Map.of(), false)))
        .isInstanceOf(ExtractFailure.class)
        .hasMessageStartingWith(
            "Cannot connect to source 'crm.t' (table 't' through connection 'crm' (postgresql,"
                + " jdbc:postgresql://localhost:1/")
        .hasMessageContaining("password=***")
        .hasMessageNotContaining("secret")
        .hasMessageContaining("refused; check that the database is running");
  }

  @Test
  void aRefreshThatDoesNotCommitLeavesTheOldSlotSoTheNextRunLosesNothing() throws Exception {
    Sql.execute(
        url,
        "CREATE TABLE refreshed (id int PRIMARY KEY, v text)",
        "INSERT INTO refreshed VALUES (1, 'a')");
    ChangeCapture capture = capture("refreshed", "conform_t_refresh");
    ChangeCapture.Capture first = capture.capture(request(Map.of(), false));
    capture.committed(first.state());
    Sql.execute(url, "INSERT INTO refreshed VALUES (2, 'b')");

    // The refresh's run fails: its state is not stored, committed is not called.
    ChangeCapture.Capture refresh = capture.capture(request(first.state(), true));
    assertThat(refresh.from()).contains("of new replication slot conform_t_refresh_2");
    Sql.execute(url, "UPDATE refreshed SET v = 'c' WHERE id = 1");
    ChangeCapture.Capture next = capture.capture(request(first.state(), false));

    assertThat(opsAndValues(next)).containsExactly("insert id=2 v=b", "update id=1 v=c");
    capture.committed(next.state());
    assertThat(slots("conform_t_refresh")).containsExactly("conform_t_refresh_1");

    // A refresh that commits replaces the slot, and the runs after it go on from the new one.
    ChangeCapture.Capture again = capture.capture(request(next.state(), true));
    capture.committed(again.state());
    assertThat(slots("conform_t_refresh")).containsExactly("conform_t_refresh_2");
    Sql.execute(url, "DELETE FROM refreshed WHERE id = 2");
    ChangeCapture.Capture last = capture.capture(request(again.state(), false));
    assertThat(opsAndValues(last)).containsExactly("delete id=2 v=null");
  }

  @Test
  void generatedColumnsAreLeftOutAndAColumnAddedLaterIsNullInOlderChanges() throws Exception {
    Sql.execute(
        url,
        "CREATE TABLE shaped (id int PRIMARY KEY, price int,"
            + " doubled int GENERATED ALWAYS AS (price * 2) STORED)",
        "INSERT INTO shaped (id, price) VALUES (1, 10)");
    ChangeCapture capture = capture("shaped", "conform_t_shaped");
    assertThat(capture.describe().stream().map(Column::name)).containsExactly("id", "price");
    ChangeCapture.Capture first = capture.capture(request(Map.of(), false));
    assertThat(values(first)).containsExactly("id=1 price=10");
    Sql.execute(
        url,
        "INSERT INTO shaped (id, price) VALUES (2, 20)",
        "ALTER TABLE shaped ADD COLUMN note text",
        "INSERT INTO shaped (id, price, note) VALUES (3, 30, 'new')");

    ChangeCapture.Capture second = capture.capture(request(first.state(), false));

    assertThat(values(second)).containsExactly("id=2 price=20 note=null", "id=3 price=30 note=new");
  }

  @Test
  void aKeyTheReplicaIdentityDoesNotLogFailsAndSaysHowToLogIt() throws Exception {
    Sql.execute(
        url,
        "CREATE TABLE coded (id int PRIMARY KEY, code text NOT NULL UNIQUE, v text)",
        "INSERT INTO coded VALUES (1, 'A', 'x')");
    ChangeCapture capture =
        new LogicalDecodingCapture(
            request("coded", url), List.of("code"), Optional.empty(), "conform_t_coded");

    assertThatThrownBy(() -> capture.capture(request(Map.of(), false)))
        .isInstanceOf(ExtractFailure.class)
        .hasMessageStartingWith("Cannot read source 'crm.coded' (table 'coded' through connection")
        .hasMessageEndingWith(
            "): the replica identity of table \"public\".\"coded\" is its primary key (id),"
                + " which does not log the key (code) of a deleted or updated row, so deletes and"
                + " key changes would be lost; run ALTER TABLE \"public\".\"coded\" REPLICA"
                + " IDENTITY FULL, or make the source's key the table's primary key");
    assertThatThrownBy(capture::describe).hasMessageContaining("is its primary key (id), which");

    Sql.execute(url, "ALTER TABLE coded REPLICA IDENTITY USING INDEX coded_code_key");
    ChangeCapture.Capture first = capture.capture(request(Map.of(), false));
    Sql.execute(url, "UPDATE coded SET code = 'B' WHERE id = 1", "DELETE FROM coded");
    ChangeCapture.Capture second = capture.capture(request(first.state(), false));
    assertThat(opsAndValues(second))
        .containsExactly(
            "delete id=null code=A v=null",
            "insert id=1 code=B v=x",
            "delete id=null code=B v=null");
  }

  @Test
  void aPublicationThatLeavesChangesOutFailsAndARecreatedTableStartsOver() throws Exception {
    Sql.execute(
        url,
        "CREATE TABLE pub (id int PRIMARY KEY)",
        "INSERT INTO pub VALUES (1)",
        "CREATE PUBLICATION conform_t_pub FOR TABLE pub WITH (publish = 'insert, update')");
    ChangeCapture capture = capture("pub", "conform_t_pub");

    assertThatThrownBy(() -> capture.capture(request(Map.of(), false)))
        .isInstanceOf(ExtractFailure.class)
        .hasMessageEndingWith(
            "): publication conform_t_pub does not publish delete (its publish parameter), so"
                + " those changes of table \"public\".\"pub\" would be missed; run ALTER"
                + " PUBLICATION \"conform_t_pub\" SET (publish = 'insert, update, delete'), then"
                + " rebuild the models that read it with conform run --full-refresh MODEL");
    Sql.execute(
        url,
        "ALTER PUBLICATION conform_t_pub SET (publish = 'insert, update, delete')",
        "ALTER PUBLICATION conform_t_pub SET TABLE pub WHERE (id > 0)");
    assertThatThrownBy(() -> capture.capture(request(Map.of(), false)))
        .isInstanceOf(ExtractFailure.class)
        .hasMessageEndingWith(
            "): publication conform_t_pub publishes table \"public\".\"pub\" with a row filter"
                + " (WHERE), so some of its changes would be missed; publish the whole table"
                + " (ALTER PUBLICATION \"conform_t_pub\" SET TABLE \"public\".\"pub\"), then"
                + " rebuild the models that read it with conform run --full-refresh MODEL");
    Sql.execute(url, "ALTER PUBLICATION conform_t_pub SET TABLE pub (id)");
    assertThatThrownBy(() -> capture.capture(request(Map.of(), false)))
        .hasMessageContaining("with a column list, so some of its changes would be missed");
    Sql.execute(url, "ALTER PUBLICATION conform_t_pub SET TABLE pub");
    ChangeCapture.Capture first = capture.capture(request(Map.of(), false));
    assertThat(values(first)).containsExactly("id=1");

    Sql.execute(
        url,
        "DROP TABLE pub",
        "CREATE TABLE pub (id int PRIMARY KEY)",
        "INSERT INTO pub VALUES (7)");
    ChangeCapture.Capture again = capture.capture(request(first.state(), false));

    assertThat(again.from()).contains("(all, as of LSN");
    assertThat(values(again)).containsExactly("id=7");
  }

  @Test
  void aMessageThatCannotBeDecodedFailsNamingTheSlotAndPosition() throws Exception {
    try (ReplicationSource source =
            ReplicationSource.open(request("t", url), "conform_t_bad", "conform_t_bad");
        ChangeRowWriter out = new ChangeRowWriter(List.of(), landing(), rows -> {})) {
      ReplicationSource.Table table =
          new ReplicationSource.Table(
              1, "public", "t", List.of(), 'f', List.of(), Map.of(), java.util.Set.of());
      for (byte[] bytes : List.of(new byte[] {'I', 0, 0}, new byte[] {'Z'})) {
        SlotReader reader =
            new SlotReader(source, "conform_t_bad_1", table, List.of(), List.of(), out);
        assertThatThrownBy(
                () -> reader.read(new OneMessage(bytes), Long.MAX_VALUE, Duration.ofSeconds(5)))
            .isInstanceOf(ExtractFailure.class)
            .hasMessageStartingWith("Cannot read source 'crm.t' (table 't' through connection")
            .hasMessageEndingWith(
                "): replication slot conform_t_bad_1 sent a message that cannot be decoded (at"
                    + " 0/64: "
                    + (bytes.length == 1
                        ? "Unknown pgoutput message 'Z'"
                        : "BufferUnderflowException")
                    + "); nothing was loaded and its position did not move");
      }
    }
  }

  @Test
  void aSlotThatCannotBeConfirmedAfterACommitSaysTheNextRunStartsAtTheStoredPosition()
      throws Exception {
    Sql.execute(url, "CREATE TABLE confirm (id int PRIMARY KEY)", "INSERT INTO confirm VALUES (1)");
    ChangeCapture capture = capture("confirm", "conform_t_confirm");
    ChangeCapture.Capture first = capture.capture(request(Map.of(), false));
    String lsn = first.state().get("log lsn:crm.confirm");
    Sql.execute(url, "SELECT pg_drop_replication_slot('conform_t_confirm_1')");

    assertThatThrownBy(() -> capture.committed(first.state()))
        .isInstanceOf(ExtractFailure.class)
        .hasMessageStartingWith(
            "Cannot confirm replication slot conform_t_confirm_1 of source 'crm.confirm' (table"
                + " 'confirm' through connection 'crm' (postgresql,")
        .hasMessageContaining(
            ") up to " + lsn + ": replication slot conform_t_confirm_1 was dropped")
        .hasMessageNotContaining("nothing was loaded");

    String dead = url.replaceAll("//([^:/]+):\\d+/", "//$1:1/");
    ChangeCapture gone =
        new LogicalDecodingCapture(
            request("confirm", dead), List.of(), Optional.empty(), "conform_t_confirm");
    assertThatThrownBy(() -> gone.committed(first.state()))
        .isInstanceOf(ExtractFailure.class)
        .hasMessageStartingWith("Cannot confirm replication slot conform_t_confirm_1 of source")
        .hasMessageContaining(") up to " + lsn + ": cannot connect: ")
        .hasMessageEndingWith(
            "; the run committed, the next run starts at its stored position "
                + lsn
                + ", and the slot keeps the server's WAL till then");
  }

  /** A stream that has one message, then nothing. */
  private static final class OneMessage implements PGReplicationStream {
    private byte[] message;

    OneMessage(byte[] message) {
      this.message = message;
    }

    @Override
    public ByteBuffer read() {
      return readPending();
    }

    @Override
    public ByteBuffer readPending() {
      ByteBuffer next = message == null ? null : ByteBuffer.wrap(message);
      message = null;
      return next;
    }

    @Override
    public LogSequenceNumber getLastReceiveLSN() {
      return LogSequenceNumber.valueOf(100);
    }

    @Override
    public LogSequenceNumber getLastFlushedLSN() {
      return LogSequenceNumber.INVALID_LSN;
    }

    @Override
    public LogSequenceNumber getLastAppliedLSN() {
      return LogSequenceNumber.INVALID_LSN;
    }

    @Override
    public void setFlushedLSN(LogSequenceNumber lsn) {}

    @Override
    public void setAppliedLSN(LogSequenceNumber lsn) {}

    @Override
    public void forceUpdateStatus() {}

    @Override
    public boolean isClosed() {
      return false;
    }

    @Override
    public void close() {}
  }

  private static List<String> opsAndValues(ChangeCapture.Capture capture) throws IOException {
    List<String> ops = ops(capture);
    List<String> values = values(capture);
    List<String> both = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      both.add(ops.get(i) + " " + values.get(i));
    }
    return both;
  }

  private static List<String> slots(String base) throws SQLException {
    return List.copyOf(
        table(
                "SELECT slot_name, slot_name FROM pg_replication_slots WHERE slot_name LIKE '"
                    + base
                    + "%'")
            .keySet());
  }

  private ChangeCapture capture(String table, String slot) {
    return new LogicalDecodingCapture(request(table, url), List.of(), Optional.empty(), slot);
  }

  static SourceRequest request(String table, String url) {
    return new SourceRequest(
        "crm." + table,
        new WarehouseConnection("crm", "postgresql", url, Map.of()),
        table,
        List.of());
  }

  private CaptureRequest request(Map<String, String> state, boolean fullRefresh) {
    return new CaptureRequest(state, fullRefresh, landing(), rows -> {});
  }

  private Path landing() {
    return folder.resolve("landing.jsonl");
  }

  /** The landing rows as maps, in file order. */
  static List<Map<String, String>> rows(ChangeCapture.Capture capture) throws IOException {
    List<Map<String, String>> rows = new ArrayList<>();
    if (!Files.exists(capture.extracted().file())) {
      return rows;
    }
    for (String line : Files.readAllLines(capture.extracted().file())) {
      Map<String, String> row = new LinkedHashMap<>();
      try (JsonParser parser = JSON.createParser(line)) {
        parser.nextToken();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.getCurrentName();
          JsonToken value = parser.nextToken();
          row.put(name, value == JsonToken.VALUE_NULL ? null : parser.getText());
        }
      }
      rows.add(row);
    }
    return rows;
  }

  /** Each row's own columns as "name=value ...". */
  private static List<String> values(ChangeCapture.Capture capture) throws IOException {
    return rows(capture).stream()
        .map(
            r -> {
              List<String> parts = new ArrayList<>();
              r.forEach(
                  (k, v) -> {
                    if (!k.startsWith("_cdc_")) {
                      parts.add(k + "=" + v);
                    }
                  });
              return String.join(" ", parts);
            })
        .toList();
  }

  private static List<String> ops(ChangeCapture.Capture capture) throws IOException {
    return rows(capture).stream().map(r -> r.get("_cdc_op")).toList();
  }

  private static Map<String, String> table(String sql) throws SQLException {
    Map<String, String> rows = new TreeMap<>();
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      while (result.next()) {
        rows.put(result.getString(1), result.getString(2));
      }
    }
    return rows;
  }

  private static String confirmed(String slot) throws SQLException {
    return table(
            "SELECT slot_name, confirmed_flush_lsn::text FROM pg_replication_slots"
                + " WHERE slot_name = '"
                + slot
                + "'")
        .get(slot);
  }
}
