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
 * A {@code change_log} source's {@code conform run} killed with SIGKILL while it reads the log and
 * while it applies, then run to the end: every change arrives once, and no killed run purges the
 * log.
 */
class ChangeLogKilledRunTest {
  /** A log that takes a millisecond per row to read, so that a kill lands inside the reading. */
  private static final String SLOW_LOG =
      "CREATE FUNCTION slow(n int) RETURNS int AS $$ BEGIN PERFORM pg_sleep(0.001); RETURN n;"
          + " END $$ LANGUAGE plpgsql;"
          + " CREATE VIEW customers_feed AS SELECT change_id, change_op, changed_at,"
          + " slow(customer_id) AS customer_id, name, city FROM customers_changes";

  @TempDir Path folder;

  @Test
  void killedRunsLoadNothingTwicePurgeNothingAndTheNextRunLoadsEachChangeOnce() throws Exception {
    String url = TestPostgres.freshDatabase("conform_cli_changelog_killed");
    Path project = folder.resolve("crm");
    Files.createDirectories(project.resolve("models"));
    Files.writeString(
        project.resolve("conform.yaml"),
        "project: crm\ntarget: warehouse\nspec-paths: [models]\nconnections:\n"
            + "  warehouse: { type: duckdb, path: target/warehouse.duckdb }\n"
            + "  crm: { type: postgresql, url: \""
            + url
            + "\" }\n");
    Path spec = project.resolve("models/crm.yaml");
    Files.writeString(
        spec,
        """
        sources:
          - name: crm.customers
            connection: crm
            table: customers
            key: [customer_id]
            cdc: { strategy: change_log, purge: true }
        dimensions:
          - name: dim_customer
            from: crm.customers
            business_key: [customer_id]
            scd: { type: 2, sequence_by: _cdc_at, tie_breaker: [_cdc_position], deletes: close }
            columns: { name:, city: }
        """);
    Sql.execute(url, "CREATE TABLE customers (customer_id int PRIMARY KEY, name text, city text)");
    CliRun install = CliRun.of(project, "cdc", "install-triggers", "crm.customers");
    assertThat(install.exitCode()).as(install.err()).isZero();
    Files.writeString(
        spec,
        Files.readString(spec).replace("purge: true", "log_table: customers_feed, purge: true"));
    Sql.execute(
        url,
        SLOW_LOG,
        "INSERT INTO customers SELECT n, 'name ' || n, 'city ' || n FROM generate_series(1, 1500) n",
        STAMP);

    killWhile(project, Phase.EXTRACTING);
    killWhile(project, Phase.APPLYING);
    assertThat(count(url, "SELECT count(*) FROM customers_changes")).isEqualTo(1500);
    CliRun first = CliRun.of(project, "run");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(count(project, "SELECT count(*) FROM dim_customer")).isEqualTo(1500);
    assertThat(count(project, "SELECT count(DISTINCT customer_id) FROM dim_customer"))
        .isEqualTo(1500);

    Sql.execute(
        url,
        "UPDATE customers SET city = 'moved' WHERE customer_id % 10 = 0",
        "DELETE FROM customers WHERE customer_id % 100 = 1",
        STAMP);
    killWhile(project, Phase.APPLYING);
    killWhile(project, Phase.EXTRACTING);
    assertThat(count(url, "SELECT count(*) FROM customers_changes WHERE change_id > 1500"))
        .isEqualTo(165);
    CliRun second = CliRun.of(project, "run");
    assertThat(second.exitCode()).as(second.err()).isZero();

    assertThat(count(project, "SELECT count(*) FROM dim_customer")).isEqualTo(1650);
    assertThat(count(project, "SELECT count(*) FROM dim_customer WHERE valid_to IS NULL"))
        .isEqualTo(1485);
    assertThat(
            count(
                project,
                "SELECT count(*) FROM dim_customer WHERE city = 'moved' AND valid_to IS NULL"))
        .isEqualTo(150);
    assertThat(count(url, "SELECT count(*) FROM customers_changes")).isZero();
    CliRun nothing = CliRun.of(project, "run");
    assertThat(nothing.out()).containsPattern("dim_customer.*up to date");
  }

  /** Log rows not yet read get a time of their own: 2026-01-01 plus their id in seconds. */
  private static final String STAMP =
      "UPDATE customers_changes SET changed_at = timestamp '2026-01-01' + change_id * interval"
          + " '1 second' WHERE changed_at > timestamp '2026-01-02'";

  private enum Phase {
    /** The log query runs. */
    EXTRACTING,
    /** The landing file is written and the log query done: the warehouse is being changed. */
    APPLYING
  }

  /**
   * Starts {@code conform run} in a JVM of its own, waits until it is in {@code phase}, and kills
   * it with SIGKILL; fails when the run ended before it got there.
   */
  private static void killWhile(Path project, Phase phase) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path landing = project.resolve("target/landing/dim_customer/crm.customers.jsonl");
    String url =
        Files.readString(project.resolve("conform.yaml"))
            .replaceAll("(?s).*url: \"([^\"]+)\".*", "$1");
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
      while (!process.waitFor(5, TimeUnit.MILLISECONDS)) {
        boolean extracting =
            count(
                    source,
                    "SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                        + " AND pid <> pg_backend_pid() AND query LIKE '%FROM \"public\".\"customers_feed\"% ORDER BY %'")
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

  private static long count(String url, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url)) {
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
