package dev.conform.cli;

import static dev.conform.cli.Warehouse.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conform.cli.KilledRuns.Phase;
import dev.conform.testing.Sql;
import dev.conform.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
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
    Path project = TestProject.database(folder, "postgresql", url);
    TestProject.model(
        project,
        "crm.yaml",
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
    KilledRuns.assertEachCustomerOnce(project, ROWS);

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

  /**
   * Kills {@code conform run} while it is in {@code phase}: extracting while the snapshot query
   * runs or a replication connection is open. First clears what a killed run left: its landing
   * file, and its replication connection for a moment.
   */
  private static void killWhile(Path project, String url, Phase phase) throws Exception {
    Path landing = KilledRuns.landing(project, "dim_customer", "crm.customers");
    Files.deleteIfExists(landing);
    try (Connection source = DriverManager.getConnection(url)) {
      for (int i = 0; count(source, WALSENDERS) > 0; i++) {
        assertThat(i).as("the killed run's replication connection is still open").isLessThan(2000);
      }
    }
    KilledRuns.killWhile(
        project,
        url,
        "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND"
            + " datname = current_database() AND (backend_type = 'walsender' OR"
            + " (state = 'active' AND query LIKE '%FROM \"customers\"%'))",
        landing,
        phase);
  }

  /** The replication connections to the database, counted after a wait of 10 ms. */
  private static final String WALSENDERS =
      "SELECT count(*) FROM pg_stat_activity, pg_sleep(0.01) WHERE backend_type = 'walsender'"
          + " AND datname = current_database()";
}
