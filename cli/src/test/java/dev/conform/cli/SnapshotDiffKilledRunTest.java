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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code conform run} of a snapshot_diff source killed with SIGKILL while it extracts and while it
 * applies: the stored snapshot stays as it was, and the next run loads every change once.
 */
class SnapshotDiffKilledRunTest {
  /** How long the source takes per row, so that a kill lands inside the extraction too. */
  private static final String SLOW_VIEW =
      "CREATE FUNCTION slow(n int) RETURNS int AS $$ BEGIN PERFORM pg_sleep(0.001); RETURN n;"
          + " END $$ LANGUAGE plpgsql;"
          + " CREATE VIEW customers_feed AS SELECT slow(customer_id) AS customer_id, name, city"
          + " FROM customers";

  @TempDir Path folder;

  @Test
  void killedRunsMoveNoSnapshotAndTheNextRunLoadsEachChangeOnce() throws Exception {
    String url = TestPostgres.freshDatabase("conform_cli_snapdiff_killed");
    Path project = folder.resolve("crm");
    Files.createDirectories(project.resolve("models"));
    Files.writeString(
        project.resolve("conform.yaml"),
        "project: crm\ntarget: warehouse\nspec-paths: [models]\nconnections:\n"
            + "  warehouse: { type: duckdb, path: target/warehouse.duckdb }\n"
            + "  crm: { type: postgresql, url: \""
            + url
            + "\" }\n");
    Files.writeString(
        project.resolve("models/crm.yaml"),
        """
        sources:
          - name: crm.customers
            connection: crm
            table: customers_feed
            key: [customer_id]
            cdc: { strategy: snapshot_diff }
        dimensions:
          - name: dim_customer
            from: crm.customers
            business_key: [customer_id]
            scd: { type: 2, sequence_by: _cdc_at, tie_breaker: [_cdc_position], deletes: close }
        """);
    Sql.execute(
        url,
        "CREATE TABLE customers (customer_id int, name text, city text)",
        "INSERT INTO customers SELECT n, 'name ' || n, 'city ' || n"
            + " FROM generate_series(1, 1500) n",
        SLOW_VIEW);

    killWhile(project, url, Phase.EXTRACTING);
    killWhile(project, url, Phase.APPLYING);
    CliRun first = CliRun.of(project, "run");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.err()).contains("1500 inserted, 0 updated, 0 deleted against no earlier");
    assertThat(count(project, "SELECT count(*) FROM dim_customer")).isEqualTo(1500);
    assertThat(count(project, "SELECT count(DISTINCT customer_id) FROM dim_customer"))
        .isEqualTo(1500);

    Sql.execute(
        url,
        "UPDATE customers SET city = 'moved' WHERE customer_id % 10 = 0",
        "DELETE FROM customers WHERE customer_id % 100 = 1",
        "INSERT INTO customers SELECT n, 'name ' || n, 'new' FROM generate_series(1501, 1520) n");
    killWhile(project, url, Phase.APPLYING);
    killWhile(project, url, Phase.EXTRACTING);
    CliRun second = CliRun.of(project, "run");
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.err()).contains("20 inserted, 150 updated, 15 deleted against snapshot 1");

    assertThat(count(project, "SELECT count(*) FROM dim_customer")).isEqualTo(1670);
    assertThat(count(project, "SELECT count(*) FROM dim_customer WHERE valid_to IS NULL"))
        .isEqualTo(1505);
    assertThat(
            count(
                project,
                "SELECT count(*) FROM dim_customer WHERE city = 'moved' AND valid_to IS NULL"))
        .isEqualTo(150);
    assertThat(
            count(
                project,
                "SELECT count(*) FROM dim_customer WHERE customer_id % 100 = 1"
                    + " AND valid_to IS NOT NULL"))
        .isEqualTo(15);
    CliRun nothing = CliRun.of(project, "run");
    assertThat(nothing.out()).containsPattern("dim_customer.*up to date");
    assertThat(nothing.err()).contains("0 inserted, 0 updated, 0 deleted against snapshot 2");
  }

  private enum Phase {
    /** The source query runs. */
    EXTRACTING,
    /** The landing file is written and the source query done: the warehouse is being changed. */
    APPLYING
  }

  /**
   * Starts {@code conform run} in a JVM of its own, waits until it is in {@code phase}, and kills
   * it with SIGKILL; fails when the run ended before it got there.
   */
  private static void killWhile(Path project, String url, Phase phase) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path landing = project.resolve("target/landing/dim_customer/crm.customers.jsonl");
    Process process =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "run",
                "-p",
                project.toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try (Connection source = DriverManager.getConnection(url)) {
      boolean extracted = false;
      // Look again every few milliseconds, or as soon as the run ends.
      while (!process.waitFor(5, TimeUnit.MILLISECONDS)) {
        boolean extracting =
            count(
                    source,
                    "SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                        + " AND pid <> pg_backend_pid() AND query LIKE '%FROM \"customers_feed\"%'")
                > 0;
        extracted |= extracting;
        boolean hit =
            phase == Phase.EXTRACTING
                ? extracting
                : extracted && !extracting && Files.exists(landing);
        if (hit) {
          process.destroyForcibly().waitFor();
          return;
        }
      }
    }
    throw new AssertionError(
        "conform run ended (exit " + process.exitValue() + ") before " + phase);
  }

  private static long count(Path project, String sql) throws SQLException {
    String database = project.resolve("target/warehouse.duckdb").toString();
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + database)) {
      return count(connection, sql);
    }
  }

  private static long count(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getLong(1);
    }
  }
}
