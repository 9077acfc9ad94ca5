package dev.conform.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The four change captures agree: one PostgreSQL table goes through a random history of inserts,
 * updates and deletes (several transactions a batch, sometimes several changes of one key in a
 * batch), and after every batch one {@code conform run} captures it by audit column, change log,
 * logical decoding and snapshot diff into a Type 1 and a Type 2 dimension each.
 *
 * <ul>
 *   <li>Every Type 1 dimension of a capture that sees deletes holds the table as it is; the audit
 *       column's does too while the history has no delete.
 *   <li>The Type 2 dimensions hold the same versions per key (values and which one is current):
 *       change log and snapshot diff always (both see each batch's net change); logical decoding,
 *       which sees every change, while no batch changed a key twice; the audit column while the
 *       history has neither deletes nor a key changed twice in a batch. Validity times differ by
 *       design: each capture stamps a change with its own clock (the row's audit column, the
 *       trigger's time, the commit, the snapshot), so they are not compared.
 * </ul>
 */
class CaptureParityPropertyTest {
  private static final int SEEDS = Integer.getInteger("conform.capture.seeds", 3);
  private static final int BATCHES = 4;
  private static final int KEYS = 8;
  private static final String[] NAMES = {"Amal", "Omar", "Nour", "Hana"};
  private static final List<String> CAPTURES =
      List.of("audit_column", "change_log", "log", "snapshot_diff");

  @TempDir Path folder;

  static Stream<Arguments> histories() {
    return IntStream.range(0, SEEDS)
        .boxed()
        .flatMap(seed -> Stream.of(Arguments.of(seed, true), Arguments.of(seed, false)));
  }

  @ParameterizedTest(name = "seed {0}, deletes {1}")
  @MethodSource("histories")
  void everyCaptureGivesTheSameTargets(int seed, boolean deletes) throws Exception {
    String url = TestPostgres.freshLogicalDatabase("conform_parity");
    Sql.execute(
        url,
        "CREATE TABLE accounts (id int PRIMARY KEY, name text, tier int,"
            + " updated_at timestamp(6) NOT NULL)");
    Path project = project(url);
    CliRun triggers = CliRun.of(project, "cdc", "install-triggers", "by_change_log");
    assertThat(triggers.exitCode()).as(triggers.err()).isZero();

    Random random = new Random(seed * 7919L + (deletes ? 1 : 0));
    Map<Integer, String> source = new TreeMap<>();
    boolean everDeleted = false;
    boolean everTwice = false;
    for (int batch = 1; batch <= BATCHES; batch++) {
      boolean twice = batch > 1 && random.nextInt(3) == 0;
      everTwice |= twice;
      everDeleted |= mutate(url, random, source, deletes, twice);
      CliRun run = CliRun.of(project, "run");
      String context = "seed " + seed + ", batch " + batch + ": " + run.err();
      assertThat(run.exitCode()).as(context).isZero();

      List<String> table =
          source.entrySet().stream().map(e -> e.getKey() + "," + e.getValue()).toList();
      Map<String, List<String>> current = new LinkedHashMap<>();
      Map<String, List<String>> history = new LinkedHashMap<>();
      for (String capture : CAPTURES) {
        current.put(capture, typeOne(project, "current_" + capture));
        history.put(capture, typeTwo(project, "history_" + capture));
      }
      for (String capture : List.of("change_log", "log", "snapshot_diff")) {
        assertThat(current.get(capture)).as(capture + ", " + context).isEqualTo(table);
      }
      if (!everDeleted) {
        assertThat(current.get("audit_column")).as("audit_column, " + context).isEqualTo(table);
      }
      assertThat(history.get("change_log"))
          .as("change_log against snapshot_diff, " + context)
          .isEqualTo(history.get("snapshot_diff"));
      if (!everTwice) {
        assertThat(history.get("log"))
            .as("log against snapshot_diff, " + context)
            .isEqualTo(history.get("snapshot_diff"));
      }
      if (!everTwice && !everDeleted) {
        assertThat(history.get("audit_column"))
            .as("audit_column against snapshot_diff, " + context)
            .isEqualTo(history.get("snapshot_diff"));
      }
    }
  }

  /**
   * One batch: a few keys changed in two or three transactions, each key once, or (when {@code
   * twice}) some of them twice; returns true when a key was deleted. {@code source} follows the
   * table.
   */
  private static boolean mutate(
      String url, Random random, Map<Integer, String> source, boolean deletes, boolean twice)
      throws SQLException {
    List<Integer> keys = new ArrayList<>(IntStream.rangeClosed(1, KEYS).boxed().toList());
    java.util.Collections.shuffle(keys, random);
    List<Integer> touched = new ArrayList<>(keys.subList(0, 2 + random.nextInt(4)));
    if (twice) {
      touched.addAll(touched.subList(0, 1 + random.nextInt(touched.size())));
    }
    boolean deleted = false;
    List<List<String>> transactions = new ArrayList<>();
    int count = 2 + random.nextInt(2);
    for (int i = 0; i < count; i++) {
      transactions.add(new ArrayList<>());
    }
    for (int i = 0; i < touched.size(); i++) {
      int key = touched.get(i);
      // A key changed twice changes in a later transaction the second time: the order holds.
      List<String> transaction = transactions.get(Math.min(count - 1, i * count / touched.size()));
      String values = NAMES[random.nextInt(NAMES.length)] + "," + random.nextInt(3);
      String[] parts = values.split(",");
      if (!source.containsKey(key)) {
        transaction.add(
            "INSERT INTO accounts VALUES ("
                + key
                + ", '"
                + parts[0]
                + "', "
                + parts[1]
                + ", clock_timestamp())");
        source.put(key, values);
      } else if (deletes && random.nextInt(3) == 0) {
        transaction.add("DELETE FROM accounts WHERE id = " + key);
        source.remove(key);
        deleted = true;
      } else {
        transaction.add(
            "UPDATE accounts SET name = '"
                + parts[0]
                + "', tier = "
                + parts[1]
                + ", updated_at = clock_timestamp() WHERE id = "
                + key);
        source.put(key, values);
      }
    }
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      for (List<String> transaction : transactions) {
        for (String sql : transaction) {
          statement.execute(sql);
        }
        connection.commit();
      }
    }
    return deleted;
  }

  /** A Type 1 dimension's rows (a delete removes its key's): {@code id,name,tier} in key order. */
  private static List<String> typeOne(Path project, String table) throws SQLException {
    return query(project, "SELECT id || ',' || name || ',' || tier FROM " + table + " ORDER BY id");
  }

  /** A Type 2 dimension's versions: {@code id,name,tier,current} in key and validity order. */
  private static List<String> typeTwo(Path project, String table) throws SQLException {
    return query(
        project,
        "SELECT id || ',' || name || ',' || tier || ',' || is_current FROM "
            + table
            + " ORDER BY id, valid_from, valid_to NULLS LAST");
  }

  private static List<String> query(Path project, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    String warehouse = project.resolve("target/warehouse.duckdb").toString();
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + warehouse);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      while (result.next()) {
        rows.add(result.getString(1));
      }
    }
    return rows;
  }

  /** A project reading table {@code accounts} at {@code url} by each capture. */
  private Path project(String url) throws Exception {
    Path project = Files.createTempDirectory(folder, "parity");
    Files.createDirectories(project.resolve("models"));
    Files.writeString(
        project.resolve("conform.yaml"),
        "project: parity\n"
            + "spec-paths: [models]\n"
            + "connections:\n"
            + "  src: { type: postgresql, url: \""
            + url
            + "\" }\n");
    StringBuilder sources = new StringBuilder("sources:\n");
    StringBuilder dimensions = new StringBuilder("dimensions:\n");
    for (String capture : CAPTURES) {
      sources
          .append("  - name: by_")
          .append(capture)
          .append(
              "\n    connection: src\n    table: accounts\n    key: [id]\n    cdc: { strategy: ")
          .append(capture)
          .append(capture.equals("audit_column") ? ", column: updated_at" : "")
          .append(" }\n");
      String sequence =
          capture.equals("audit_column")
              ? "sequence_by: updated_at"
              : "sequence_by: _cdc_at, tie_breaker: [_cdc_position]";
      for (int type = 1; type <= 2; type++) {
        dimensions
            .append("  - name: ")
            .append(type == 1 ? "current_" : "history_")
            .append(capture)
            .append("\n    from: by_")
            .append(capture)
            .append("\n    business_key: [id]\n    scd: { type: ")
            .append(type)
            .append(", ")
            .append(sequence)
            .append(", deletes: close }\n    columns: { name:, tier: }\n");
      }
    }
    Files.writeString(project.resolve("models/sources.yaml"), sources.toString());
    Files.writeString(project.resolve("models/dimensions.yaml"), dimensions.toString());
    return project;
  }
}
