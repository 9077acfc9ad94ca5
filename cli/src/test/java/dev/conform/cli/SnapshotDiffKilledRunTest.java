package dev.conform.cli;

import static dev.conform.cli.Warehouse.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conform.cli.KilledRuns.Phase;
import dev.conform.testing.Sql;
import dev.conform.testing.TestPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code conform run} of a snapshot_diff source killed with SIGKILL while it extracts and while it
 * applies: the stored snapshot stays as it was, and the next run loads every change once.
 */
class SnapshotDiffKilledRunTest {
  /** How long the source takes per row, so that a kill lands inside the extraction too. */
  private static final String SLOW_VIEW =
      KilledRuns.SLOW
          + " CREATE VIEW customers_feed AS SELECT slow(customer_id) AS customer_id, name, city"
          + " FROM customers";

  @TempDir Path folder;

  @Test
  void killedRunsMoveNoSnapshotAndTheNextRunLoadsEachChangeOnce() throws Exception {
    String url = TestPostgres.freshDatabase("conform_cli_snapdiff_killed");
    Path project = TestProject.database(folder, "postgresql", url);
    TestProject.model(
        project,
        "crm.yaml",
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
    KilledRuns.assertEachCustomerOnce(project, 1500);

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
    assertThat(nothing.err()).contains("0 inserted, 0 updated, 0 deleted against snapshot 3");
  }

  /** Kills {@code conform run} while it is in {@code phase}; the source query reads the view. */
  private static void killWhile(Path project, String url, Phase phase) throws Exception {
    KilledRuns.killWhile(
        project,
        url,
        KilledRuns.querying("%FROM \"customers_feed\"%"),
        KilledRuns.landing(project, "dim_customer", "crm.customers"),
        phase);
  }
}
