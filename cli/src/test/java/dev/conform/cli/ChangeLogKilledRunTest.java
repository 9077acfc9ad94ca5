package dev.conform.cli;

import static dev.conform.cli.Warehouse.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conform.cli.KilledRuns.Phase;
import dev.conform.testing.Sql;
import dev.conform.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
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
      KilledRuns.SLOW
          + " CREATE VIEW customers_feed AS SELECT change_id, change_op, changed_at,"
          + " slow(customer_id) AS customer_id, name, city FROM customers_changes";

  @TempDir Path folder;

  @Test
  void killedRunsLoadNothingTwicePurgeNothingAndTheNextRunLoadsEachChangeOnce() throws Exception {
    String url = TestPostgres.freshDatabase("conform_cli_changelog_killed");
    Path project = TestProject.database(folder, "postgresql", url);
    Path spec =
        TestProject.model(
            project,
            "crm.yaml",
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

    killWhile(project, url, Phase.EXTRACTING);
    killWhile(project, url, Phase.APPLYING);
    assertThat(count(url, "SELECT count(*) FROM customers_changes")).isEqualTo(1500);
    CliRun first = CliRun.of(project, "run");
    assertThat(first.exitCode()).as(first.err()).isZero();
    KilledRuns.assertEachCustomerOnce(project, 1500);

    Sql.execute(
        url,
        "UPDATE customers SET city = 'moved' WHERE customer_id % 10 = 0",
        "DELETE FROM customers WHERE customer_id % 100 = 1",
        STAMP);
    killWhile(project, url, Phase.APPLYING);
    killWhile(project, url, Phase.EXTRACTING);
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

  /** Kills {@code conform run} while it is in {@code phase}; the log query reads the view. */
  private static void killWhile(Path project, String url, Phase phase) throws Exception {
    KilledRuns.killWhile(
        project,
        url,
        KilledRuns.querying("%FROM \"public\".\"customers_feed\"% ORDER BY %"),
        KilledRuns.landing(project, "dim_customer", "crm.customers"),
        phase);
  }
}
