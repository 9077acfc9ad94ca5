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
 * {@code conform run} over logical decoding killed with SIGKILL while it reads the snapshot or the
 * slot, and while it applies; the next run loads every change exactly once.
 */
class LogicalDecodingKilledRunTest {
  private static final int ROWS = 20_000;

  @TempDir Path folder;

  @Test
  void killedRunsLeaveNothingHalfDoneAndTheNextRunLoadsEachChangeOnce() throws Exception {
    String url = TestPostgres.freshLogicalDatabase("conform_cli_logical_killed");
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
            table: customers
            key: [customer_id]
            cdc: { strategy: log }
        dimensions:
          - name: dim_customer
            from: crm.customers
            business_key: [customer_id]
            scd: { type: 2, sequence_by: _cdc_at, tie_breaker: [_cdc_position] }
            columns: { name:, city: }
        """);
    Sql.execute(
        url,
        "CREATE TABLE customers (customer_id int PRIMARY KEY, name text, city text)",
        "INSERT INTO customers SELECT n, 'name ' || n, 'city ' || n FROM generate_series(1, "
            + ROWS
            + ") n");

    killWhile(project, url, Phase.EXTRACTING);
    killWhile(project, url, Phase.APPLYING);
    CliRun first = CliRun.of(project, "run");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(count(project, "SELECT count(*) FROM dim_customer")).isEqualTo(ROWS);
    assertThat(count(project, "SELECT count(DISTINCT customer_id) FROM dim_customer"))
        .isEqualTo(ROWS);

    Sql.execute(
        url,
        "UPDATE customers SET city = 'moved' WHERE customer_id % 10 = 0",
        "INSERT INTO customers VALUES (" + (ROWS + 1) + ", 'late', 'late')");
    killWhile(project, url, Phase.APPLYING);
    killWhile(project, url, Phase.EXTRACTING);
    CliRun second = CliRun.of(project, "run");
    assertThat(second.exitCode()).as(second.err()).isZero();

    assertThat(count(project, "SELECT count(*) FROM dim_customer")).isEqualTo(ROWS + ROWS / 10 + 1);
    assertThat(count(project, "SELECT count(*) FROM dim_customer WHERE valid_to IS NULL"))
        .isEqualTo(ROWS + 1);
    assertThat(
            count(
                project,
                "SELECT count(*) FROM dim_customer WHERE city = 'moved' AND valid_to IS NULL"))
        .isEqualTo(ROWS / 10);
    CliRun nothing = CliRun.of(project, "run");
    assertThat(nothing.exitCode()).as(nothing.err()).isZero();
    assertThat(nothing.out()).containsPattern("dim_customer.*up to date");
  }

  private enum Phase {
    /** The snapshot query runs, or a replication connection is open. */
    EXTRACTING,
    /** The landing file is written and the source is let go: the warehouse is being changed. */
    APPLYING
  }

  /**
   * Starts {@code conform run} in a JVM of its own, waits until it is in {@code phase}, and kills
   * it with SIGKILL; fails when the run ended before it got there.
   */
  private static void killWhile(Path project, String url, Phase phase) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path landing = project.resolve("target/landing/dim_customer/crm.customers.jsonl");
    // What a killed run left: its landing file, and its replication connection for a moment.
    Files.deleteIfExists(landing);
    try (Connection source = DriverManager.getConnection(url)) {
      for (int i = 0; count(source, WALSENDERS) > 0; i++) {
        assertThat(i).as("the killed run's replication connection is still open").isLessThan(2000);
      }
    }
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
                    "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND"
                        + " datname = current_database() AND (backend_type = 'walsender' OR"
                        + " (state = 'active' AND query LIKE '%FROM \"customers\"%'))")
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

  /** The replication connections to the database, counted after a wait of 10 ms. */
  private static final String WALSENDERS =
      "SELECT count(*) FROM pg_stat_activity, pg_sleep(0.01) WHERE backend_type = 'walsender'"
          + " AND datname = current_database()";

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
