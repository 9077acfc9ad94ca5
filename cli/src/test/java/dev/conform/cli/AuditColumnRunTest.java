package dev.conform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conform.testing.Sql;
import dev.conform.testing.TestMariaDb;
import dev.conform.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cdc: audit_column} from the CLI: a real source database (embedded PostgreSQL, the
 * machine's MariaDB) into a Type 2 dimension on embedded DuckDB, run after run.
 */
class AuditColumnRunTest {
  @TempDir Path folder;

  @Test
  void changesFlowFromPostgresqlRunAfterRunWithBackdatedAndLateRowsAndNoDuplicates()
      throws Exception {
    String url = TestPostgres.freshDatabase("conform_cli_audit");
    Path project = project(url, "postgresql");
    Sql.execute(
        url,
        "CREATE TABLE customers (customer_id int PRIMARY KEY, name text, city text,"
            + " updated_at timestamp)",
        "INSERT INTO customers VALUES (1, 'Amal', 'Cairo', '2026-01-01 09:00:00'),"
            + " (2, 'Omar', 'Giza', '2026-01-01 10:00:00'),"
            + " (3, 'Nour', 'Aswan', '2026-01-01 11:00:00')");

    CliRun first = CliRun.of(project, "run");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).containsPattern("dim_customer\\s+3\\s+0\\s+3\\s+3\\s+0\\s+0");
    assertThat(first.err())
        .contains(
            "source crm.customers for dim_customer: read 3 row(s) from table customers (all)");

    // A change since the last run; a new customer; and a change committed late by a server whose
    // clock ran 3 minutes behind: its timestamp is below the mark, but within the lookback.
    Sql.execute(
        url,
        "UPDATE customers SET city = 'Alexandria', updated_at = '2026-01-02 09:00:00'"
            + " WHERE customer_id = 1",
        "INSERT INTO customers VALUES (4, 'Hana', 'Luxor', '2026-01-02 09:30:00')",
        "UPDATE customers SET city = 'Giza West', updated_at = '2026-01-01 10:57:00'"
            + " WHERE customer_id = 2");
    CliRun second = CliRun.of(project, "run");
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.err())
        .contains("read 4 row(s) from table customers past updated_at 2026-01-01 11:00:00");
    assertThat(show(project))
        .containsExactly(
            "1,Amal,Cairo,2026-01-01 09:00:00,2026-01-01 09:00:00,2026-01-02 09:00:00,false",
            "1,Amal,Alexandria,2026-01-02 09:00:00,2026-01-02 09:00:00,,true",
            "2,Omar,Giza,2026-01-01 10:00:00,2026-01-01 10:00:00,2026-01-01 10:57:00,false",
            "2,Omar,Giza West,2026-01-01 10:57:00,2026-01-01 10:57:00,,true",
            "3,Nour,Aswan,2026-01-01 11:00:00,2026-01-01 11:00:00,,true",
            "4,Hana,Luxor,2026-01-02 09:30:00,2026-01-02 09:30:00,,true");

    // Nothing changed: the lookback reads the last 5 minutes again, and they change nothing.
    List<String> before = show(project);
    CliRun again = CliRun.of(project, "run");
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).containsPattern("dim_customer\\s+1\\s+0\\s+0\\s+0\\s+0\\s+0");
    assertThat(show(project)).isEqualTo(before);
  }

  @Test
  void aDeadSourceFailsTheRunNamingItAndMovesNoMark() throws Exception {
    String url = TestPostgres.freshDatabase("conform_cli_dead");
    Path project = project(url, "postgresql");
    Sql.execute(
        url,
        "CREATE TABLE customers (customer_id int, name text, city text, updated_at timestamp)",
        "INSERT INTO customers VALUES (1, 'Amal', 'Cairo', '2026-01-01 09:00:00')");
    assertThat(CliRun.of(project, "run").exitCode()).isZero();
    Sql.execute(url, "UPDATE customers SET city = 'Giza', updated_at = '2026-01-03 00:00:00'");
    String good = TestProject.unreachable(project, url);

    CliRun dead = CliRun.of(project, "run");

    assertThat(dead.exitCode()).isEqualTo(ExitCode.RUN_FAILED);
    assertThat(dead.err())
        .contains(
            "error: Cannot connect to source 'crm.customers' (table 'customers' through"
                + " connection 'crm' (postgresql, jdbc:postgresql://localhost:1/")
        .contains("refused; check that the database is running");
    assertThat(show(project))
        .containsExactly("1,Amal,Cairo,2026-01-01 09:00:00,2026-01-01 09:00:00,,true");

    Files.writeString(project.resolve("conform.yaml"), good);
    CliRun recovered = CliRun.of(project, "run");
    assertThat(recovered.exitCode()).as(recovered.err()).isZero();
    assertThat(show(project))
        .containsExactly(
            "1,Amal,Cairo,2026-01-01 09:00:00,2026-01-01 09:00:00,2026-01-03 00:00:00,false",
            "1,Amal,Giza,2026-01-03 00:00:00,2026-01-03 00:00:00,,true");
  }

  @Test
  void aFailedApplyLeavesTheTargetAndTheMarkAndTheRerunLosesNothing() throws Exception {
    String url = TestPostgres.freshDatabase("conform_cli_apply");
    Path project = project(url, "postgresql");
    Path spec = project.resolve("models/dim_customer.yaml");
    Files.writeString(
        spec,
        Files.readString(spec) + "    checks: [\"not_null(name)\"]\n    on_check_failure: fail\n");
    Sql.execute(
        url,
        "CREATE TABLE customers (customer_id int, name text, city text, updated_at timestamp)",
        "INSERT INTO customers VALUES (1, 'Amal', 'Cairo', '2026-01-01 09:00:00'),"
            + " (2, 'Omar', 'Giza', '2026-01-01 10:00:00')");
    assertThat(CliRun.of(project, "run").exitCode()).isZero();
    Sql.execute(
        url,
        "UPDATE customers SET city = 'Alexandria', updated_at = '2026-01-02 00:00:00'"
            + " WHERE customer_id = 1",
        "UPDATE customers SET name = NULL, updated_at = '2026-01-02 01:00:00'"
            + " WHERE customer_id = 2");

    CliRun failed = CliRun.of(project, "run");
    assertThat(failed.exitCode()).isEqualTo(ExitCode.RUN_FAILED);
    assertThat(failed.err()).contains("no target was changed");
    assertThat(show(project))
        .containsExactly(
            "1,Amal,Cairo,2026-01-01 09:00:00,2026-01-01 09:00:00,,true",
            "2,Omar,Giza,2026-01-01 10:00:00,2026-01-01 10:00:00,,true");
    assertThat(project.resolve("target/landing/dim_customer/crm.customers.jsonl")).doesNotExist();

    Sql.execute(
        url,
        "UPDATE customers SET name = 'Omar', updated_at = '2026-01-02 02:00:00'"
            + " WHERE customer_id = 2");
    CliRun rerun = CliRun.of(project, "run");
    assertThat(rerun.exitCode()).as(rerun.err()).isZero();
    assertThat(show(project))
        .containsExactly(
            "1,Amal,Cairo,2026-01-01 09:00:00,2026-01-01 09:00:00,2026-01-02 00:00:00,false",
            "1,Amal,Alexandria,2026-01-02 00:00:00,2026-01-02 00:00:00,,true",
            "2,Omar,Giza,2026-01-02 02:00:00,2026-01-01 10:00:00,,true");
  }

  @Test
  void aRepointedSourceOrARefreshOfAnEmptyTableKeepsNoOldMark() throws Exception {
    String url = TestPostgres.freshDatabase("conform_cli_repoint");
    Path project = project(url, "postgresql");
    Sql.execute(
        url,
        "CREATE TABLE customers (customer_id int, name text, city text, updated_at timestamp)",
        "CREATE TABLE customers_v2 (customer_id int, name text, city text, updated_at timestamp)",
        "INSERT INTO customers VALUES (1, 'Amal', 'Cairo', '2026-05-01 00:00:00')",
        "INSERT INTO customers_v2 VALUES (2, 'Omar', 'Giza', '2026-01-01 00:00:00')");
    assertThat(CliRun.of(project, "run").exitCode()).isZero();

    // The mark (May) was read from another table: the new one is read whole.
    Path sources = project.resolve("models/sources.yaml");
    Files.writeString(
        sources, Files.readString(sources).replace("table: customers", "table: customers_v2"));
    CliRun repointed = CliRun.of(project, "run");
    assertThat(repointed.exitCode()).as(repointed.err()).isZero();
    assertThat(repointed.err()).contains("read 1 row(s) from table customers_v2 (all)");

    // A refresh of the emptied table gives an empty dimension and forgets the mark.
    Sql.execute(url, "DELETE FROM customers_v2");
    CliRun refresh = CliRun.of(project, "run", "--full-refresh");
    assertThat(refresh.exitCode()).as(refresh.err()).isZero();
    assertThat(show(project)).isEmpty();
    Sql.execute(url, "INSERT INTO customers_v2 VALUES (3, 'Nour', 'Aswan', '2026-01-01 00:00:00')");
    CliRun after = CliRun.of(project, "run");
    assertThat(after.exitCode()).as(after.err()).isZero();
    assertThat(show(project))
        .containsExactly("3,Nour,Aswan,2026-01-01 00:00:00,2026-01-01 00:00:00,,true");
  }

  @Test
  void validateReadsTheTableAndFindsAWrongAuditColumn() throws Exception {
    String url = TestPostgres.freshDatabase("conform_cli_validate");
    Path project = project(url, "postgresql");
    Sql.execute(
        url,
        "CREATE TABLE customers (customer_id int, name text, city text, updated_at timestamp)");
    CliRun valid = CliRun.of(project, "validate");
    assertThat(valid.exitCode()).as(valid.err()).isZero();
    assertThat(valid.err()).contains("warning CANNOT_SEE_DELETES");
    Path sources = project.resolve("models/sources.yaml");
    Files.writeString(
        sources, Files.readString(sources).replace("column: updated_at", "column: updated"));

    CliRun invalid = CliRun.of(project, "validate");

    assertThat(invalid.exitCode()).isEqualTo(ExitCode.RUN_FAILED);
    assertThat(invalid.err())
        .contains(
            "): its table has no column 'updated' (its audit column); its columns are"
                + " customer_id, name, city, updated_at");
  }

  @Test
  void readsAMariaDbTableIntoTheSameDimension() throws Exception {
    String url = TestMariaDb.freshDatabase("conform_cli_audit");
    Path project = project(url, "mariadb");
    Sql.execute(
        url,
        "CREATE TABLE customers (customer_id INT PRIMARY KEY, name VARCHAR(40), city VARCHAR(40),"
            + " updated_at DATETIME(6))",
        "INSERT INTO customers VALUES (1, 'Amal', 'Cairo', '2026-01-01 09:00:00'),"
            + " (2, 'Omar', 'Giza', '2026-01-01 10:00:00')");
    assertThat(CliRun.of(project, "run").exitCode()).isZero();
    Sql.execute(
        url,
        "UPDATE customers SET city = 'Alexandria', updated_at = '2026-01-02 00:00:00.5'"
            + " WHERE customer_id = 1");

    CliRun second = CliRun.of(project, "run");

    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(show(project))
        .containsExactly(
            "1,Amal,Cairo,2026-01-01 09:00:00,2026-01-01 09:00:00,2026-01-02 00:00:00.5,false",
            "1,Amal,Alexandria,2026-01-02 00:00:00.5,2026-01-02 00:00:00.5,,true",
            "2,Omar,Giza,2026-01-01 10:00:00,2026-01-01 10:00:00,,true");
  }

  /** A project reading table {@code customers} at {@code url} by audit column, 5m lookback. */
  private Path project(String url, String type) throws Exception {
    Path project = TestProject.database(folder, type, url);
    TestProject.model(
        project,
        "sources.yaml",
        """
        sources:
          - name: crm.customers
            connection: crm
            table: customers
            key: [customer_id]
            cdc: { strategy: audit_column, column: updated_at, lookback: 5m }
        """);
    TestProject.model(
        project,
        "dim_customer.yaml",
        """
        dimensions:
          - name: dim_customer
            from: crm.customers
            business_key: [customer_id]
            scd: { type: 2, sequence_by: updated_at, track: [city] }
            columns: { name:, city:, updated_at: }
        """);
    return project;
  }

  /** The dimension's rows without its first column (the surrogate key), in key order. */
  private static List<String> show(Path project) {
    return Warehouse.show(project, "dim_customer");
  }
}
