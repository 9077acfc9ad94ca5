package dev.conform.cli;

import static dev.conform.cli.Warehouse.show;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conform.testing.Sql;
import dev.conform.testing.TestMariaDb;
import dev.conform.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cdc: change_log} from the CLI: {@code conform cdc install-triggers} on embedded PostgreSQL
 * and the machine's MariaDB, then inserts, updates and deletes in the tracked table between runs,
 * into a Type 2 and a Type 1 dimension on embedded DuckDB.
 */
class ChangeLogRunTest {
  @TempDir Path folder;

  @Test
  void changesFlowFromPostgresqlThroughTheTriggersRunAfterRun() throws Exception {
    String url = TestPostgres.freshDatabase("conform_cli_changelog");
    changesFlow(url, "postgresql", "customer_id int PRIMARY KEY, name text, city text");
  }

  @Test
  void changesFlowFromMariaDbThroughTheTriggersRunAfterRun() throws Exception {
    String url = TestMariaDb.freshDatabase("conform_cli_changelog");
    changesFlow(url, "mariadb", "customer_id INT PRIMARY KEY, name VARCHAR(40), city VARCHAR(40)");
  }

  private void changesFlow(String url, String type, String columns) throws Exception {
    Path project = project(url, type, "purge: true, lookback: 2");
    // A row from before the triggers: installing logs it as an insert, so the first run has it.
    Sql.execute(
        url,
        "CREATE TABLE customers (" + columns + ")",
        "INSERT INTO customers VALUES (1, 'Amal', 'Cairo')");
    CliRun install = CliRun.of(project, "cdc", "install-triggers", "crm.customers");
    assertThat(install.exitCode()).as(install.err()).isZero();
    assertThat(install.out())
        .isEqualTo(
            "created table customers_changes\n"
                + (type.equals("postgresql")
                    ? "created function customers_changes_capture()\n"
                        + "created trigger customers_changes_capture on customers\n"
                    : "created trigger customers_changes_capture_delete on customers\n"
                        + "created trigger customers_changes_capture_update on customers\n"
                        + "created trigger customers_changes_capture_insert on customers\n")
                + "created log rows for the table's current rows (as inserts)\n"
                + "Changes to table 'customers' are logged to 'customers_changes'; conform run"
                + " reads them for source 'crm.customers'\n");

    Sql.execute(
        url,
        "INSERT INTO customers VALUES (2, 'Omar', 'Giza')",
        "INSERT INTO customers VALUES (3, 'Nour', 'Aswan')");
    stamp(url, type);
    CliRun first = CliRun.of(project, "run");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.err())
        .contains(
            "source crm.customers for dim_customer: read 3 row(s) from change log"
                + " customers_changes (all)");
    assertThat(show(project, "dim_customer"))
        .containsExactly(
            "1,Amal,Cairo,2026-01-01 00:01:00,,true",
            "2,Omar,Giza,2026-01-01 00:02:00,,true",
            "3,Nour,Aswan,2026-01-01 00:03:00,,true");

    Sql.execute(
        url,
        "UPDATE customers SET city = 'Alexandria' WHERE customer_id = 1",
        "DELETE FROM customers WHERE customer_id = 2",
        "INSERT INTO customers VALUES (4, 'Hana', 'Luxor')",
        "UPDATE customers SET name = 'Hanaa' WHERE customer_id = 4",
        "INSERT INTO customers VALUES (5, 'Sara', 'Suez')",
        "DELETE FROM customers WHERE customer_id = 5");
    stamp(url, type);
    CliRun second = CliRun.of(project, "run");
    assertThat(second.exitCode()).as(second.err()).isZero();
    // Key 4's insert and update are one insert; key 5, inserted and deleted, is nothing.
    assertThat(second.err())
        .contains(
            "for dim_customer: read 4 row(s) from change log customers_changes past change_id 3");
    List<String> history =
        List.of(
            "1,Amal,Cairo,2026-01-01 00:01:00,2026-01-01 00:04:00,false",
            "1,Amal,Alexandria,2026-01-01 00:04:00,,true",
            "2,Omar,Giza,2026-01-01 00:02:00,2026-01-01 00:05:00,false",
            "3,Nour,Aswan,2026-01-01 00:03:00,,true",
            "4,Hanaa,Luxor,2026-01-01 00:07:00,,true");
    assertThat(show(project, "dim_customer")).containsExactlyElementsOf(history);
    assertThat(show(project, "cur_customer"))
        .containsExactly("1,Amal,Alexandria", "3,Nour,Aswan", "4,Hanaa,Luxor");
    // The committed run read up to id 9; ids up to 9 - 2 are purged, the lookback's stay.
    assertThat(logIds(url)).containsExactly(8L, 9L);

    // Nothing new: the lookback reads ids 8 and 9 again, and they change nothing.
    CliRun again = CliRun.of(project, "run");
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(show(project, "dim_customer")).containsExactlyElementsOf(history);
    assertThat(show(project, "cur_customer"))
        .containsExactly("1,Amal,Alexandria", "3,Nour,Aswan", "4,Hanaa,Luxor");

    // A transaction takes log id 10 for key 6 and commits after another took id 11 for key 7
    // and a run read it: the next run's lookback reads id 10, and key 6 is not lost.
    try (Connection late = DriverManager.getConnection(url)) {
      late.setAutoCommit(false);
      try (Statement statement = late.createStatement()) {
        statement.execute("INSERT INTO customers VALUES (6, 'Laila', 'Minya')");
      }
      Sql.execute(url, "INSERT INTO customers VALUES (7, 'Karim', 'Qena')");
      stampId(url, type, 11);
      CliRun before = CliRun.of(project, "run");
      assertThat(before.exitCode()).as(before.err()).isZero();
      // The purge deletes committed rows only, and does not wait on the transaction in flight.
      assertThat(before.err()).doesNotContain("warning");
      late.commit();
    }
    stampId(url, type, 10);
    Sql.execute(url, "INSERT INTO customers VALUES (2, 'Omar', 'Tanta')");
    stampId(url, type, 12);
    CliRun after = CliRun.of(project, "run");
    assertThat(after.exitCode()).as(after.err()).isZero();
    assertThat(show(project, "dim_customer"))
        .containsExactly(
            "1,Amal,Cairo,2026-01-01 00:01:00,2026-01-01 00:04:00,false",
            "1,Amal,Alexandria,2026-01-01 00:04:00,,true",
            "2,Omar,Giza,2026-01-01 00:02:00,2026-01-01 00:05:00,false",
            "2,Omar,Tanta,2026-01-01 00:12:00,,true",
            "3,Nour,Aswan,2026-01-01 00:03:00,,true",
            "4,Hanaa,Luxor,2026-01-01 00:07:00,,true",
            "6,Laila,Minya,2026-01-01 00:10:00,,true",
            "7,Karim,Qena,2026-01-01 00:11:00,,true");
    assertThat(show(project, "cur_customer"))
        .containsExactly(
            "1,Amal,Alexandria",
            "2,Omar,Tanta",
            "3,Nour,Aswan",
            "4,Hanaa,Luxor",
            "6,Laila,Minya",
            "7,Karim,Qena");
    assertThat(logIds(url)).containsExactly(11L, 12L);
  }

  @Test
  void aFailedApplyPurgesNothingAndMovesNoStateAndTheRerunLosesNothing() throws Exception {
    String url = TestPostgres.freshDatabase("conform_cli_changelog_apply");
    Path project = project(url, "postgresql", "purge: true");
    Path spec = project.resolve("models/dim_customer.yaml");
    Files.writeString(
        spec,
        Files.readString(spec)
            .replace(
                "deletes: close\n",
                "deletes: close\n    checks: [\"not_null(name)\"]\n    on_check_failure: fail\n"));
    installed(project, url);
    changed(url, "INSERT INTO customers VALUES (1, 'Amal', 'Cairo'), (2, 'Omar', 'Giza')");
    assertThat(CliRun.of(project, "run").exitCode()).isZero();
    assertThat(logIds(url)).isEmpty();
    changed(
        url,
        "UPDATE customers SET city = 'Alexandria' WHERE customer_id = 1",
        "UPDATE customers SET name = NULL WHERE customer_id = 2");

    CliRun failed = CliRun.of(project, "run");

    assertThat(failed.exitCode()).isEqualTo(ExitCode.RUN_FAILED);
    assertThat(failed.err()).contains("no target was changed");
    assertThat(logIds(url)).containsExactly(3L, 4L);
    assertThat(show(project, "dim_customer"))
        .containsExactly(
            "1,Amal,Cairo,2026-01-01 00:01:00,,true", "2,Omar,Giza,2026-01-01 00:02:00,,true");

    changed(url, "UPDATE customers SET name = 'Omar' WHERE customer_id = 2");
    CliRun rerun = CliRun.of(project, "run");
    assertThat(rerun.exitCode()).as(rerun.err()).isZero();
    assertThat(rerun.err())
        .contains("read 2 row(s) from change log customers_changes past change_id 2");
    assertThat(show(project, "dim_customer"))
        .containsExactly(
            "1,Amal,Cairo,2026-01-01 00:01:00,2026-01-01 00:03:00,false",
            "1,Amal,Alexandria,2026-01-01 00:03:00,,true",
            "2,Omar,Giza,2026-01-01 00:02:00,,true");
    assertThat(logIds(url)).isEmpty();
  }

  @Test
  void aDeadSourceFailsTheRunNamingItAndMovesNothing() throws Exception {
    String url = TestPostgres.freshDatabase("conform_cli_changelog_dead");
    Path project = project(url, "postgresql", "purge: true");
    installed(project, url);
    changed(url, "INSERT INTO customers VALUES (1, 'Amal', 'Cairo')");
    assertThat(CliRun.of(project, "run").exitCode()).isZero();
    changed(url, "UPDATE customers SET city = 'Giza'");
    String good = TestProject.unreachable(project, url);

    CliRun dead = CliRun.of(project, "run");

    assertThat(dead.exitCode()).isEqualTo(ExitCode.RUN_FAILED);
    assertThat(dead.err())
        .contains(
            "error: Cannot connect to source 'crm.customers' (table 'customers' through"
                + " connection 'crm' (postgresql, jdbc:postgresql://localhost:1/")
        .contains("refused; check that the database is running");
    assertThat(show(project, "dim_customer"))
        .containsExactly("1,Amal,Cairo,2026-01-01 00:01:00,,true");
    assertThat(logIds(url)).containsExactly(2L);

    Files.writeString(project.resolve("conform.yaml"), good);
    CliRun recovered = CliRun.of(project, "run");
    assertThat(recovered.exitCode()).as(recovered.err()).isZero();
    assertThat(show(project, "dim_customer"))
        .containsExactly(
            "1,Amal,Cairo,2026-01-01 00:01:00,2026-01-01 00:02:00,false",
            "1,Amal,Giza,2026-01-01 00:02:00,,true");
    assertThat(logIds(url)).isEmpty();
  }

  @Test
  void installTriggersSaysWhatItDoesAndWhyItCannot() throws Exception {
    String url = TestPostgres.freshDatabase("conform_cli_changelog_install");
    Path project = project(url, "postgresql", "");
    String crm = "connection 'crm' (postgresql, " + url + ")";

    CliRun missing = CliRun.of(project, "cdc", "install-triggers", "crm.customers");
    assertThat(missing.exitCode()).isEqualTo(ExitCode.RUN_FAILED);
    assertThat(missing.err())
        .isEqualTo(
            "error: Cannot install the change log of source 'crm.customers' (table 'customers'"
                + " through "
                + crm
                + "): there is no table 'customers' in 'public'; check the source's table: in"
                + " the spec\n");

    Sql.execute(url, "CREATE TABLE customers (customer_id int PRIMARY KEY, name text, city text)");
    CliRun dry = CliRun.of(project, "cdc", "install-triggers", "crm.customers", "--dry-run");
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    String row = " (\"change_op\", \"customer_id\", \"name\", \"city\") VALUES ";
    String insert = "INSERT INTO \"public\".\"customers_changes\"" + row;
    assertThat(dry.out())
        .isEqualTo(
            "LOCK TABLE \"customers\" IN SHARE ROW EXCLUSIVE MODE;\n"
                + "CREATE TABLE \"public\".\"customers_changes\" (\n"
                + "  \"change_id\" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
                + "  \"change_op\" char(1) NOT NULL,\n"
                + "  \"changed_at\" timestamp(6) NOT NULL DEFAULT (clock_timestamp() AT TIME ZONE"
                + " 'UTC'),\n"
                + "  \"customer_id\" integer,\n"
                + "  \"name\" text,\n"
                + "  \"city\" text\n"
                + ");\n"
                + "CREATE OR REPLACE FUNCTION \"public\".\"customers_changes_capture\"() RETURNS trigger"
                + " LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS"
                + " $conform$\n"
                + "BEGIN\n"
                + "  IF TG_OP = 'DELETE' THEN\n"
                + "    "
                + insert
                + "('D', OLD.\"customer_id\", OLD.\"name\", OLD.\"city\");\n"
                + "    RETURN OLD;\n"
                + "  END IF;\n"
                + "  IF TG_OP = 'UPDATE' AND (OLD.\"customer_id\" IS DISTINCT FROM"
                + " NEW.\"customer_id\") THEN\n"
                + "    "
                + insert
                + "('D', OLD.\"customer_id\", OLD.\"name\", OLD.\"city\");\n"
                + "    "
                + insert
                + "('I', NEW.\"customer_id\", NEW.\"name\", NEW.\"city\");\n"
                + "  ELSIF TG_OP = 'UPDATE' THEN\n"
                + "    "
                + insert
                + "('U', NEW.\"customer_id\", NEW.\"name\", NEW.\"city\");\n"
                + "  ELSE\n"
                + "    "
                + insert
                + "('I', NEW.\"customer_id\", NEW.\"name\", NEW.\"city\");\n"
                + "  END IF;\n"
                + "  RETURN NEW;\n"
                + "END\n"
                + "$conform$;\n"
                + "CREATE TRIGGER \"customers_changes_capture\" AFTER INSERT OR UPDATE OR DELETE ON"
                + " \"customers\" FOR EACH ROW EXECUTE FUNCTION"
                + " \"public\".\"customers_changes_capture\"();\n"
                + "INSERT INTO \"public\".\"customers_changes\" (\"change_op\", \"customer_id\","
                + " \"name\","
                + " \"city\") SELECT 'I', \"customer_id\", \"name\", \"city\" FROM \"customers\";\n");
    assertThat(dry.err()).isEqualTo("dry run: nothing was changed\n");
    assertThat(CliRun.of(project, "run").err()).contains("there is no change log table");

    assertThat(CliRun.of(project, "cdc", "install-triggers", "crm.customers").exitCode()).isZero();
    CliRun again = CliRun.of(project, "cdc", "install-triggers", "crm.customers");
    assertThat(again.exitCode()).isZero();
    assertThat(again.out())
        .isEqualTo(
            "The change log triggers of source 'crm.customers' are already installed on table"
                + " 'customers'; nothing was changed (--replace creates them again)\n");

    Sql.execute(url, "INSERT INTO customers VALUES (1, 'Amal', 'Cairo')");
    CliRun replace = CliRun.of(project, "cdc", "install-triggers", "crm.customers", "--replace");
    assertThat(replace.exitCode()).as(replace.err()).isZero();
    assertThat(replace.out())
        .isEqualTo(
            "created function customers_changes_capture()\n"
                + "created trigger customers_changes_capture on customers\n"
                + "Changes to table 'customers' are logged to 'customers_changes' (triggers"
                + " replaced; the log table and its rows were kept); conform run reads them for"
                + " source 'crm.customers'\n");
    Sql.execute(url, "UPDATE customers SET city = 'Giza'");
    assertThat(logIds(url)).containsExactly(1L, 2L);

    // Dropping the tables leaves the trigger function behind: installing again replaces it.
    Sql.execute(
        url,
        "DROP TABLE customers_changes",
        "DROP TABLE customers",
        "CREATE TABLE customers (customer_id int PRIMARY KEY, name text, city text)");
    CliRun reinstall = CliRun.of(project, "cdc", "install-triggers", "crm.customers");
    assertThat(reinstall.exitCode()).as(reinstall.err()).isZero();
    Sql.execute(url, "INSERT INTO customers VALUES (2, 'Omar', 'Giza')");
    assertThat(logIds(url)).containsExactly(1L);

    CliRun unknown = CliRun.of(project, "cdc", "install-triggers", "crm.customer");
    assertThat(unknown.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(unknown.err())
        .isEqualTo("error: Unknown source 'crm.customer'; did you mean 'crm.customers'?\n");

    Sql.execute(
        url,
        "CREATE ROLE conform_reader LOGIN",
        "CREATE TABLE orders (order_id int)",
        "GRANT SELECT ON orders TO conform_reader");
    Path sources = project.resolve("models/sources.yaml");
    Files.writeString(
        sources,
        Files.readString(sources)
            + "  - name: crm.orders\n"
            + "    connection: reader\n"
            + "    table: orders\n"
            + "    key: [order_id]\n"
            + "    cdc: { strategy: change_log }\n"
            + "  - name: crm.audited\n"
            + "    connection: crm\n"
            + "    table: customers\n"
            + "    delete_when: \"false\"\n"
            + "    cdc: { strategy: audit_column, column: customer_id }\n"
            + "  - name: local.items\n"
            + "    connection: warehouse\n"
            + "    table: items\n"
            + "    key: [id]\n"
            + "    cdc: { strategy: change_log }\n");
    String reader = url.replaceAll("user=[^&]*", "user=conform_reader");
    Path yaml = project.resolve("conform.yaml");
    Files.writeString(
        yaml, Files.readString(yaml) + "  reader: { type: postgresql, url: \"" + reader + "\" }\n");

    CliRun denied = CliRun.of(project, "cdc", "install-triggers", "crm.orders");
    assertThat(denied.exitCode()).isEqualTo(ExitCode.RUN_FAILED);
    assertThat(denied.err())
        .isEqualTo(
            "error: Cannot install the change log of source 'crm.orders' (table 'orders' through"
                + " connection 'reader' (postgresql, "
                + reader
                + ")): ERROR: permission denied for table orders; nothing was created\n");

    CliRun audited = CliRun.of(project, "cdc", "install-triggers", "crm.audited");
    assertThat(audited.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(audited.err())
        .isEqualTo(
            "error: Source 'crm.audited' does not capture changes by change_log (its cdc is"
                + " audit_column); install-triggers sets up a table source with cdc: { strategy:"
                + " change_log }\n");

    CliRun duck = CliRun.of(project, "cdc", "install-triggers", "local.items");
    assertThat(duck.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(duck.err())
        .isEqualTo(
            "error: Cannot install triggers for source 'local.items': its connection 'warehouse'"
                + " is of type duckdb; install-triggers supports postgresql, mariadb and mysql (on"
                + " others, fill the log table by your own triggers)\n");
  }

  /**
   * Gives each log row not yet read a time of its own, 2026-01-01 plus its id in minutes, so that
   * the dimensions' validity is known (rows a run read keep theirs: a re-read must be a duplicate).
   */
  private static void stamp(String url, String type) throws Exception {
    Sql.execute(
        url, stampSql(type) + " WHERE changed_at > " + literal(type, "2026-01-02 00:00:00"));
  }

  /** Runs {@code statements} on the PostgreSQL source, then stamps the log rows they wrote. */
  private static void changed(String url, String... statements) throws Exception {
    Sql.execute(url, statements);
    stamp(url, "postgresql");
  }

  /** Creates PostgreSQL table customers and installs its change log triggers. */
  private static void installed(Path project, String url) throws Exception {
    Sql.execute(url, "CREATE TABLE customers (customer_id int PRIMARY KEY, name text, city text)");
    assertThat(CliRun.of(project, "cdc", "install-triggers", "crm.customers").exitCode()).isZero();
  }

  private static void stampId(String url, String type, long id) throws Exception {
    Sql.execute(url, stampSql(type) + " WHERE change_id = " + id);
  }

  private static String stampSql(String type) {
    return "UPDATE customers_changes SET changed_at = "
        + literal(type, "2026-01-01 00:00:00")
        + (type.equals("postgresql")
            ? " + change_id * interval '1 minute'"
            : " + INTERVAL change_id MINUTE");
  }

  private static String literal(String type, String timestamp) {
    return "TIMESTAMP '" + timestamp + "'";
  }

  private static List<Long> logIds(String url) throws Exception {
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet ids =
            statement.executeQuery("SELECT change_id FROM customers_changes ORDER BY change_id")) {
      List<Long> all = new ArrayList<>();
      while (ids.next()) {
        all.add(ids.getLong(1));
      }
      return all;
    }
  }

  /** A project reading table {@code customers} at {@code url} by change log. */
  private Path project(String url, String type, String settings) throws Exception {
    Path project = TestProject.database(folder, type, url);
    TestProject.model(
        project,
        "sources.yaml",
        "sources:\n"
            + "  - name: crm.customers\n"
            + "    connection: crm\n"
            + "    table: customers\n"
            + "    key: [customer_id]\n"
            + "    cdc: { strategy: change_log"
            + (settings.isEmpty() ? "" : ", " + settings)
            + " }\n");
    TestProject.model(
        project,
        "dim_customer.yaml",
        """
        dimensions:
          - name: dim_customer
            from: crm.customers
            business_key: [customer_id]
            scd:
              type: 2
              sequence_by: _cdc_at
              tie_breaker: [_cdc_position]
              deletes: close
            columns: { name:, city: }
          - name: cur_customer
            from: crm.customers
            business_key: [customer_id]
            scd: { type: 1, sequence_by: _cdc_at, tie_breaker: [_cdc_position] }
            columns: { name:, city: }
        """);
    return project;
  }
}
