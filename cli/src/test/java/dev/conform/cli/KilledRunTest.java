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
 * {@code conform run} killed with SIGKILL at different moments (while it extracts, while it
 * applies, after it committed), then run to the end: every change arrives once, none is lost.
 */
class KilledRunTest {
  /** How long the source takes per row, so that a kill lands inside the extraction too. */
  private static final String SLOW_VIEW =
      KilledRuns.SLOW
          + " CREATE VIEW customers_feed AS SELECT slow(customer_id) AS customer_id, name, city,"
          + " updated_at FROM customers";

  @TempDir Path folder;

  @Test
  void killedRunsLeaveNothingHalfDoneAndTheNextRunLoadsEachChangeOnce() throws Exception {
    String url = TestPostgres.freshDatabase("conform_cli_killed");
    Path project = TestProject.database(folder, "postgresql", url);
    TestProject.model(
        project,
        "crm.yaml",
        """
        sources:
          - name: crm.customers
            connection: crm
            table: customers_feed
            cdc: { strategy: audit_column, column: updated_at }
        dimensions:
          - name: dim_customer
            from: crm.customers
            business_key: [customer_id]
            scd: { type: 2, sequence_by: updated_at }
        """);
    Sql.execute(
        url,
        "CREATE TABLE customers (customer_id int, name text, city text, updated_at timestamp)",
        "INSERT INTO customers SELECT n, 'name ' || n, 'city ' || n,"
            + " timestamp '2026-01-01' + n * interval '1 second' FROM generate_series(1, 1500) n",
        SLOW_VIEW);

    killWhile(project, url, Phase.EXTRACTING);
    killWhile(project, url, Phase.APPLYING);
    CliRun first = CliRun.of(project, "run");
    assertThat(first.exitCode()).as(first.err()).isZero();
    KilledRuns.assertEachCustomerOnce(project, 1500);

    Sql.execute(
        url,
        "UPDATE customers SET city = 'moved', updated_at = timestamp '2026-02-01' + customer_id"
            + " * interval '1 second' WHERE customer_id % 10 = 0");
    killWhile(project, url, Phase.APPLYING);
    killWhile(project, url, Phase.EXTRACTING);
    CliRun second = CliRun.of(project, "run");
    assertThat(second.exitCode()).as(second.err()).isZero();

    assertThat(count(project, "SELECT count(*) FROM dim_customer")).isEqualTo(1650);
    assertThat(count(project, "SELECT count(*) FROM dim_customer WHERE valid_to IS NULL"))
        .isEqualTo(1500);
    assertThat(
            count(
                project,
                "SELECT count(*) FROM dim_customer WHERE city = 'moved' AND valid_to IS NULL"))
        .isEqualTo(150);
    CliRun nothing = CliRun.of(project, "run");
    assertThat(nothing.out()).containsPattern("dim_customer.*up to date");
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
