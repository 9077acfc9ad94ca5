package dev.conform.cli;

import static dev.conform.cli.Warehouse.show;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conform.testing.Sql;
import dev.conform.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cdc: snapshot_diff} from the CLI: daily full CSV files and a PostgreSQL table, compared
 * snapshot after snapshot, into Type 2 and Type 1 dimensions on embedded DuckDB.
 */
class SnapshotDiffRunTest {
  @TempDir Path folder;

  @Test
  void dailyFullFilesBecomeHistoryDatedByTheirNames() throws Exception {
    Path project = project(true);
    Path data = project.resolve("data");
    write(data, "balances_2024-03-01.csv", "1,Amal,10", "2,Omar,20", "3,Nour,30");

    CliRun first = CliRun.of(project, "run");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.err())
        .contains(
            "source balances for dim_balance: read 3 row(s) from file balances_2024-03-01.csv:"
                + " 3 inserted, 0 updated, 0 deleted against no earlier snapshot");
    assertThat(show(project, "dim_balance"))
        .containsExactly(
            "1,Amal,10.00,2024-03-01 00:00:00,,true",
            "2,Omar,20.00,2024-03-01 00:00:00,,true",
            "3,Nour,30.00,2024-03-01 00:00:00,,true");

    write(data, "balances_2024-03-02.csv", "1,Amal,15", "2,Omar,20", "4,Hana,40");
    CliRun second = CliRun.of(project, "run");
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.err())
        .contains(
            "3 row(s) from file balances_2024-03-02.csv: 1 inserted, 1 updated, 1 deleted"
                + " against snapshot 1");
    assertThat(show(project, "dim_balance"))
        .containsExactly(
            "1,Amal,10.00,2024-03-01 00:00:00,2024-03-02 00:00:00,false",
            "1,Amal,15.00,2024-03-02 00:00:00,,true",
            "2,Omar,20.00,2024-03-01 00:00:00,,true",
            "3,Nour,30.00,2024-03-01 00:00:00,2024-03-02 00:00:00,false",
            "4,Hana,40.00,2024-03-02 00:00:00,,true");
    assertThat(show(project, "cur_balance"))
        .containsExactly("1,Amal,15.00", "2,Omar,20.00", "4,Hana,40.00");

    // Two days at once: each file is compared with the one before it.
    write(data, "balances_2024-03-03.csv", "1,Amal,15", "2,Omar,25", "3,Nour,35", "4,Hana,40");
    write(data, "balances_2024-03-04.csv", "1,Amal,15", "2,Omar,25", "3,Nour,35");
    CliRun third = CliRun.of(project, "run");
    assertThat(third.exitCode()).as(third.err()).isZero();
    assertThat(third.err())
        .contains(
            "read 3 row(s) from 2 files balances_2024-03-03.csv to balances_2024-03-04.csv:"
                + " 1 inserted, 1 updated, 1 deleted against snapshot 2");
    List<String> history =
        List.of(
            "1,Amal,10.00,2024-03-01 00:00:00,2024-03-02 00:00:00,false",
            "1,Amal,15.00,2024-03-02 00:00:00,,true",
            "2,Omar,20.00,2024-03-01 00:00:00,2024-03-03 00:00:00,false",
            "2,Omar,25.00,2024-03-03 00:00:00,,true",
            "3,Nour,30.00,2024-03-01 00:00:00,2024-03-02 00:00:00,false",
            "3,Nour,35.00,2024-03-03 00:00:00,,true",
            "4,Hana,40.00,2024-03-02 00:00:00,2024-03-04 00:00:00,false");
    assertThat(show(project, "dim_balance")).containsExactlyElementsOf(history);
    assertThat(show(project, "cur_balance"))
        .containsExactly("1,Amal,15.00", "2,Omar,25.00", "3,Nour,35.00");

    // No new file, then a file the same as the last: nothing to load.
    CliRun nothing = CliRun.of(project, "run");
    assertThat(nothing.out()).containsPattern("dim_balance.*up to date");
    write(data, "balances_2024-03-05.csv", "1,Amal,15", "2,Omar,25", "3,Nour,35");
    CliRun same = CliRun.of(project, "run");
    assertThat(same.exitCode()).as(same.err()).isZero();
    assertThat(same.out()).containsPattern("dim_balance.*up to date");
    assertThat(same.err())
        .contains(
            "read 0 row(s) from file balances_2024-03-05.csv: 0 inserted, 0 updated, 0 deleted"
                + " against snapshot 4");
    assertThat(show(project, "dim_balance")).containsExactlyElementsOf(history);

    // The unchanged file was not recorded as loaded: it is compared again, then the next one.
    write(data, "balances_2024-03-06.csv", "1,Amal,16", "2,Omar,25", "3,Nour,35");
    CliRun sixth = CliRun.of(project, "run");
    assertThat(sixth.exitCode()).as(sixth.err()).isZero();
    assertThat(sixth.err())
        .contains(
            "read 1 row(s) from 2 files balances_2024-03-05.csv to balances_2024-03-06.csv:"
                + " 0 inserted, 1 updated, 0 deleted against snapshot 4");
    List<String> sixDays = new ArrayList<>(history);
    sixDays.set(1, "1,Amal,15.00,2024-03-02 00:00:00,2024-03-06 00:00:00,false");
    sixDays.add(2, "1,Amal,16.00,2024-03-06 00:00:00,,true");
    assertThat(show(project, "dim_balance")).containsExactlyElementsOf(sixDays);

    // A full refresh compares every file again from none, and rebuilds the same history.
    CliRun refresh = CliRun.of(project, "run", "--full-refresh");
    assertThat(refresh.exitCode()).as(refresh.err()).isZero();
    assertThat(refresh.err())
        .contains(
            "from 6 files balances_2024-03-01.csv to balances_2024-03-06.csv: 5 inserted,"
                + " 3 updated, 2 deleted against no earlier snapshot");
    assertThat(show(project, "dim_balance")).containsExactlyElementsOf(sixDays);
    assertThat(show(project, "cur_balance"))
        .containsExactly("1,Amal,16.00", "2,Omar,25.00", "3,Nour,35.00");
    CliRun after = CliRun.of(project, "run");
    assertThat(after.out()).containsPattern("dim_balance.*up to date");
  }

  @Test
  void aLateFileOrAChangedLoadedFileFailsTheRunUntilTheFilesAreInOrderAndRebuilt()
      throws Exception {
    Path project = project(false);
    Path data = project.resolve("data");
    write(data, "balances_2024-03-01.csv", "1,Amal,10", "2,Omar,20");
    write(data, "balances_2024-03-03.csv", "1,Amal,11", "2,Omar,20");
    CliRun first = CliRun.of(project, "run");
    assertThat(first.exitCode()).as(first.err()).isZero();
    List<String> history =
        List.of(
            "1,Amal,10.00,2024-03-01 00:00:00,2024-03-03 00:00:00,false",
            "1,Amal,11.00,2024-03-03 00:00:00,,true",
            "2,Omar,20.00,2024-03-01 00:00:00,,true");
    assertThat(show(project, "dim_balance")).containsExactlyElementsOf(history);
    String rebuild =
        "put the files in order (each dated after the one before it, by the date in its name or"
            + " else its last-modified time) and rebuild the models that read it with conform run"
            + " --full-refresh MODEL; nothing was loaded and its snapshot did not move";

    // A late file, dated before the stored snapshot: it would become the new baseline.
    write(data, "balances_2024-03-02.csv", "1,Amal,10", "2,Omar,21");
    CliRun late = CliRun.of(project, "run");
    assertThat(late.exitCode()).isEqualTo(ExitCode.RUN_FAILED);
    assertThat(late.err())
        .contains(
            "error: Cannot capture source 'balances' (file '"
                + data.resolve("balances_2024-03-02.csv").toAbsolutePath()
                + "'): it is dated 2024-03-02 00:00:00.000000, not after the stored snapshot 2 of"
                + " 2024-03-03 00:00:00.000000 that it would be compared with; a late or re-dated"
                + " file would become the baseline of every later comparison, so "
                + rebuild);
    Files.delete(data.resolve("balances_2024-03-02.csv"));

    // A loaded file copied again with other rows.
    write(data, "balances_2024-03-01.csv", "1,Amal,10", "2,Omar,22");
    write(data, "balances_2024-03-04.csv", "1,Amal,12", "2,Omar,20");
    CliRun recopied = CliRun.of(project, "run");
    assertThat(recopied.exitCode()).isEqualTo(ExitCode.RUN_FAILED);
    assertThat(recopied.err())
        .contains(
            "error: Cannot capture source 'balances' (file '"
                + data.resolve("balances_2024-03-01.csv").toAbsolutePath()
                + "'): an earlier run loaded this file, and it has changed since (copied again or"
                + " touched); the snapshots after it have been compared with it (the stored"
                + " snapshot 2 is of 2024-03-03 00:00:00.000000), so "
                + rebuild);
    assertThat(show(project, "dim_balance")).containsExactlyElementsOf(history);

    // Rebuilt from the files as they now are.
    CliRun refresh = CliRun.of(project, "run", "--full-refresh");
    assertThat(refresh.exitCode()).as(refresh.err()).isZero();
    assertThat(show(project, "dim_balance"))
        .containsExactly(
            "1,Amal,10.00,2024-03-01 00:00:00,2024-03-03 00:00:00,false",
            "1,Amal,11.00,2024-03-03 00:00:00,2024-03-04 00:00:00,false",
            "1,Amal,12.00,2024-03-04 00:00:00,,true",
            "2,Omar,22.00,2024-03-01 00:00:00,2024-03-03 00:00:00,false",
            "2,Omar,20.00,2024-03-03 00:00:00,,true");
    assertThat(CliRun.of(project, "run").out()).containsPattern("dim_balance.*up to date");
  }

  @Test
  void aPostgresqlTableChangedBetweenRunsWithRejectsAndAFailedApplyThatLosesNothing()
      throws Exception {
    String url = TestPostgres.freshDatabase("conform_cli_snapdiff");
    Path project = TestProject.database(folder, "postgresql", url);
    TestProject.model(
        project,
        "crm.yaml",
        """
        sources:
          - name: crm.accounts
            connection: crm
            table: accounts
            key: [account_id]
            columns: { account_id: bigint, owner: string, opened: date }
            cdc: { strategy: snapshot_diff }
        dimensions:
          - name: dim_account
            from: crm.accounts
            business_key: [account_id]
            scd: { type: 2, sequence_by: _cdc_at, tie_breaker: [_cdc_position], deletes: close }
            columns: { owner:, opened: }
            checks: ["not_null(owner)"]
            on_check_failure: fail
        """);
    Sql.execute(
        url,
        "CREATE TABLE accounts (account_id int PRIMARY KEY, owner text, opened text)",
        "INSERT INTO accounts VALUES (1, 'Amal', '2024-01-05'), (2, 'Omar', '2024-02-10'),"
            + " (3, 'Nour', 'soon')");

    CliRun first = CliRun.of(project, "run");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).containsPattern("dim_account\\s+3\\s+1\\s+2\\s+2\\s+0\\s+0");
    assertThat(rows(project, "SELECT account_id, owner, opened, valid_to FROM dim_account"))
        .containsExactly("1,Amal,2024-01-05,null", "2,Omar,2024-02-10,null");
    CliRun rejects = CliRun.of(project, "show", "dim_account", "--rejects", "--format", "csv");
    assertThat(rejects.out()).contains("column 'opened': cannot convert 'soon' to date");

    // One change passes, one delete, and one new row fails the check: the run changes nothing.
    Sql.execute(
        url,
        "UPDATE accounts SET owner = 'Amala' WHERE account_id = 1",
        "DELETE FROM accounts WHERE account_id = 2",
        "INSERT INTO accounts VALUES (4, NULL, '2024-03-01')");
    CliRun failed = CliRun.of(project, "run");
    assertThat(failed.exitCode()).isEqualTo(ExitCode.RUN_FAILED);
    assertThat(failed.err()).contains("no target was changed");
    assertThat(rows(project, "SELECT account_id, owner, opened, valid_to FROM dim_account"))
        .containsExactly("1,Amal,2024-01-05,null", "2,Omar,2024-02-10,null");

    Sql.execute(url, "UPDATE accounts SET owner = 'Hana' WHERE account_id = 4");
    CliRun rerun = CliRun.of(project, "run");
    assertThat(rerun.exitCode()).as(rerun.err()).isZero();
    assertThat(rerun.err())
        .contains(
            "read 3 row(s) from table accounts: 1 inserted, 1 updated, 1 deleted against"
                + " snapshot 1");
    assertThat(
            rows(
                project,
                "SELECT account_id, owner, opened, valid_to IS NULL, valid_from = (SELECT"
                    + " max(valid_from) FROM dim_account) FROM dim_account"))
        .containsExactly(
            "1,Amal,2024-01-05,false,false",
            "1,Amala,2024-01-05,true,true",
            "2,Omar,2024-02-10,false,false",
            "4,Hana,2024-03-01,true,true");
    assertThat(
            rows(
                project,
                "SELECT count(*) FROM dim_account WHERE valid_to = (SELECT max(valid_from) FROM"
                    + " dim_account)"))
        .as("the update and the delete close their versions at the snapshot's time")
        .containsExactly("2");
  }

  /**
   * Project {@code bank} reading daily full files {@code data/balances_*.csv} by snapshot_diff into
   * Type 2 dimension {@code dim_balance}, and Type 1 {@code cur_balance} if asked.
   */
  private Path project(boolean typeOne) throws Exception {
    Path project = TestProject.files(folder, "bank", "data");
    Files.createDirectories(project.resolve("data"));
    TestProject.model(
        project,
        "bank.yaml",
        """
        sources:
          - name: balances
            connection: landing
            path: "balances_*.csv"
            key: [account_id]
            columns: { account_id: bigint, owner: string, amount: "decimal(10,2)" }
            cdc: { strategy: snapshot_diff }
        dimensions:
          - name: dim_balance
            from: balances
            business_key: [account_id]
            scd: { type: 2, sequence_by: _cdc_at, tie_breaker: [_cdc_position], deletes: close }
            columns: { owner:, amount: }
        """
            + (typeOne
                ? """
                  - name: cur_balance
                    from: balances
                    business_key: [account_id]
                    scd: { type: 1, sequence_by: _cdc_at, tie_breaker: [_cdc_position], deletes: close }
                    columns: { owner:, amount: }
                """
                : ""));
    return project;
  }

  private static void write(Path data, String name, String... rows) throws Exception {
    List<String> lines = new ArrayList<>(List.of("account_id,owner,amount"));
    lines.addAll(List.of(rows));
    Files.write(data.resolve(name), lines);
  }

  /** The rows of a query on the warehouse, in the order of their columns, values joined by ','. */
  private static List<String> rows(Path project, String sql) throws SQLException {
    return Warehouse.rows(project, sql + " ORDER BY ALL", "null");
  }
}
