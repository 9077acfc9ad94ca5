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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cdc: log} from the CLI: a PostgreSQL table's logical decoding into a Type 2 and a Type 1
 * dimension on embedded DuckDB, run after run, with a failed apply and a full refresh.
 */
class LogicalDecodingRunTest {
  @TempDir Path folder;

  @Test
  void changesFlowRunAfterRunIntoType2AndType1AndAFailedApplyLosesNothing() throws Exception {
    String url = TestPostgres.freshLogicalDatabase("conform_cli_logical");
    Path project = project(url);
    Sql.execute(
        url,
        "CREATE TABLE customers (customer_id int PRIMARY KEY, name text, city text)",
        "INSERT INTO customers VALUES (1, 'Amal', 'Cairo'), (2, 'Omar', 'Giza'),"
            + " (3, 'Nour', 'Aswan')");

    CliRun first = CliRun.of(project, "run");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.err())
        .contains("source crm.customers for dim_customer: read 3 row(s) from table customers (all,")
        .contains("of new replication slot conform_")
        .contains("; created publication crm_changes)")
        .contains("source crm.customers for dim_customer_now: read 3 row(s) from table customers");
    assertThat(history(project))
        .containsExactly("1,Amal,Cairo,open", "2,Omar,Giza,open", "3,Nour,Aswan,open");

    Sql.execute(
        url,
        "UPDATE customers SET city = 'Alexandria' WHERE customer_id = 1",
        "INSERT INTO customers VALUES (4, 'Hana', 'Luxor')",
        "DELETE FROM customers WHERE customer_id = 3",
        "UPDATE customers SET name = 'Omar S.', city = 'Giza West' WHERE customer_id = 2");
    CliRun second = CliRun.of(project, "run");
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.err())
        .contains("source crm.customers for dim_customer: read 4 row(s) from replication slot");
    assertThat(history(project))
        .containsExactly(
            "1,Amal,Cairo,closed",
            "1,Amal,Alexandria,open",
            "2,Omar,Giza,closed",
            "2,Omar S.,Giza West,open",
            "3,Nour,Aswan,closed",
            "4,Hana,Luxor,open");
    assertThat(current(project))
        .containsExactly("1,Amal,Alexandria", "2,Omar S.,Giza West", "4,Hana,Luxor");

    CliRun idle = CliRun.of(project, "run");
    assertThat(idle.exitCode()).as(idle.err()).isZero();
    assertThat(idle.out()).containsPattern("dim_customer.*up to date");

    // A check fails the run: nothing is applied, the slot keeps the changes for the rerun.
    Path spec = project.resolve("models/dim_customer.yaml");
    String good = Files.readString(spec);
    Files.writeString(
        spec, good + "    checks: [\"not_null(name)\"]\n    on_check_failure: fail\n");
    Sql.execute(
        url,
        "UPDATE customers SET city = 'Siwa' WHERE customer_id = 4",
        "UPDATE customers SET name = NULL WHERE customer_id = 1");
    CliRun failed = CliRun.of(project, "run");
    assertThat(failed.exitCode()).isEqualTo(ExitCode.RUN_FAILED);
    assertThat(failed.err()).contains("no target was changed");
    List<String> before = history(project);
    assertThat(before).contains("4,Hana,Luxor,open");

    Files.writeString(spec, good);
    Sql.execute(url, "UPDATE customers SET name = 'Amal' WHERE customer_id = 1");
    CliRun rerun = CliRun.of(project, "run");
    assertThat(rerun.exitCode()).as(rerun.err()).isZero();
    assertThat(rerun.err()).contains("for dim_customer: read 3 row(s) from replication slot");
    assertThat(history(project))
        .containsExactly(
            "1,Amal,Cairo,closed",
            "1,Amal,Alexandria,closed",
            "1,,Alexandria,closed",
            "1,Amal,Alexandria,open",
            "2,Omar,Giza,closed",
            "2,Omar S.,Giza West,open",
            "3,Nour,Aswan,closed",
            "4,Hana,Luxor,closed",
            "4,Hana,Siwa,open");
    assertThat(current(project))
        .containsExactly("1,Amal,Alexandria", "2,Omar S.,Giza West", "4,Hana,Siwa");

    // A refresh rebuilds both from a new snapshot, under a new slot.
    Sql.execute(url, "UPDATE customers SET city = 'Dahab' WHERE customer_id = 2");
    CliRun refresh = CliRun.of(project, "run", "--full-refresh");
    assertThat(refresh.exitCode()).as(refresh.err()).isZero();
    assertThat(refresh.err())
        .contains("read 3 row(s) from table customers (all, as of LSN")
        .doesNotContain("created publication");
    assertThat(history(project))
        .containsExactly("1,Amal,Alexandria,open", "2,Omar S.,Dahab,open", "4,Hana,Siwa,open");
    Sql.execute(url, "DELETE FROM customers WHERE customer_id = 4");
    CliRun after = CliRun.of(project, "run");
    assertThat(after.exitCode()).as(after.err()).isZero();
    assertThat(history(project))
        .containsExactly("1,Amal,Alexandria,open", "2,Omar S.,Dahab,open", "4,Hana,Siwa,closed");
    assertThat(current(project)).containsExactly("1,Amal,Alexandria", "2,Omar S.,Dahab");
    assertThat(slots(url)).hasSize(2);
  }

  /** Table customers read by logical decoding into dim_customer (Type 2) and dim_customer_now. */
  private Path project(String url) throws Exception {
    Path project = TestProject.database(folder, "postgresql", url);
    TestProject.model(
        project,
        "sources.yaml",
        """
        sources:
          - name: crm.customers
            connection: crm
            table: customers
            key: [customer_id]
            cdc: { strategy: log, publication: crm_changes }
        """);
    TestProject.model(
        project,
        "dim_customer.yaml",
        """
        dimensions:
          - name: dim_customer
            from: crm.customers
            business_key: [customer_id]
            scd: { type: 2, sequence_by: _cdc_at, tie_breaker: [_cdc_position], deletes: close }
            columns: { name:, city: }
        """);
    TestProject.model(
        project,
        "dim_customer_now.yaml",
        """
        dimensions:
          - name: dim_customer_now
            from: crm.customers
            business_key: [customer_id]
            scd: { type: 1, sequence_by: _cdc_at, tie_breaker: [_cdc_position], deletes: close }
            columns: { name:, city: }
        """);
    return project;
  }

  /** The Type 2 rows: key, name, city, open or closed, in key and time order. */
  private static List<String> history(Path project) throws SQLException {
    return query(
        project,
        "SELECT customer_id, name, city, CASE WHEN valid_to IS NULL THEN 'open' ELSE 'closed'"
            + " END FROM dim_customer ORDER BY customer_id, valid_from");
  }

  private static List<String> current(Path project) throws SQLException {
    return query(
        project, "SELECT customer_id, name, city FROM dim_customer_now ORDER BY customer_id");
  }

  static List<String> query(Path project, String sql) throws SQLException {
    return Warehouse.rows(project, sql, "");
  }

  private static List<String> slots(String url) throws SQLException {
    List<String> slots = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT slot_name FROM pg_replication_slots WHERE database = current_database()")) {
      while (result.next()) {
        slots.add(result.getString(1));
      }
    }
    return slots;
  }
}
