package dev.conform.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conform.spi.Column;
import dev.conform.spi.DataType;
import dev.conform.spi.WarehouseConnection;
import dev.conform.testing.Sql;
import dev.conform.testing.TestMariaDb;
import dev.conform.testing.TestPostgres;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extraction from real PostgreSQL and MariaDB tables: types, values, marks, lookback, failures. */
class TableExtractorTest {
  private static String postgres;

  @TempDir Path folder;

  @BeforeAll
  static void databases() throws SQLException {
    postgres = TestPostgres.freshDatabase("conform_extract");
  }

  @Test
  void readsEveryPostgresqlTypeAsLoaderTextAndKeepsNullApartFromEmpty() throws Exception {
    Sql.execute(
        postgres,
        "CREATE TABLE typed (id int PRIMARY KEY, big bigint, amount numeric(12,2), wide numeric,"
            + " name text, code varchar(5), flag boolean, born date, seen timestamp(6),"
            + " at timestamptz, ratio double precision, small real)",
        "INSERT INTO typed VALUES (1, 9000000000, 12.50, 1.000000001, 'Ann', '', true,"
            + " '2026-01-31', '2026-02-01 10:15:30.25', '2026-02-01 12:00:00+02', 0.5, 0.1)",
        "INSERT INTO typed (id) VALUES (2)");
    SourceRequest request = request("typed", List.of());

    assertThat(TableExtractor.describe(request, Optional.empty()))
        .containsExactly(
            Column.of("id", DataType.INTEGER),
            Column.of("big", DataType.BIGINT),
            Column.of("amount", DataType.decimal(12, 2)),
            Column.of("wide", SourceColumn.WIDE_DECIMAL),
            Column.of("name", DataType.STRING),
            Column.of("code", DataType.STRING),
            Column.of("flag", DataType.BOOLEAN),
            Column.of("born", DataType.DATE),
            Column.of("seen", DataType.TIMESTAMP),
            Column.of("at", DataType.TIMESTAMP),
            Column.of("ratio", DataType.DOUBLE),
            Column.of("small", DataType.DOUBLE));
    Extracted extracted = extract(request, Optional.empty());

    assertThat(extracted.rows()).isEqualTo(2);
    assertThat(extracted.mark()).isEmpty();
    assertThat(Files.readAllLines(extracted.file()))
        .containsExactlyInAnyOrder(
            "{\"id\":\"1\",\"big\":\"9000000000\",\"amount\":\"12.50\",\"wide\":\"1.000000001\","
                + "\"name\":\"Ann\",\"code\":\"\",\"flag\":\"true\",\"born\":\"2026-01-31\","
                + "\"seen\":\"2026-02-01 10:15:30.25\",\"at\":\"2026-02-01 10:00:00\","
                + "\"ratio\":\"0.5\",\"small\":\"0.1\"}",
            "{\"id\":\"2\",\"big\":null,\"amount\":null,\"wide\":null,\"name\":null,\"code\":null,"
                + "\"flag\":null,\"born\":null,\"seen\":null,\"at\":null,\"ratio\":null,"
                + "\"small\":null}");
  }

  @Test
  void readsDeclaredColumnsByNameRegardlessOfCaseWithTheirDeclaredTypes() throws Exception {
    Sql.execute(
        postgres,
        "CREATE TABLE \"Mixed\" (\"Id\" int, label text)",
        "INSERT INTO \"Mixed\" VALUES (7, 'x')");
    SourceRequest request =
        request(
            "public.mixed",
            List.of(Column.of("LABEL", DataType.STRING), Column.of("id", DataType.BIGINT)));

    Extracted extracted = extract(request, Optional.empty());

    assertThat(extracted.columns())
        .containsExactly(Column.of("LABEL", DataType.STRING), Column.of("id", DataType.BIGINT));
    assertThat(Files.readAllLines(extracted.file()))
        .containsExactly("{\"LABEL\":\"x\",\"id\":\"7\"}");
  }

  @Test
  void readsOnlyRowsPastTheMarkAndTheLookbackCatchesRowsCommittedLateWithOlderTimestamps()
      throws Exception {
    Sql.execute(
        postgres,
        "CREATE TABLE audited (id int, updated_at timestamp)",
        "INSERT INTO audited VALUES (1, '2026-03-01 10:00:00'), (2, '2026-03-01 11:00:00')");
    SourceRequest request = request("audited", List.of());

    Extracted first = extract(request, audit(Duration.ZERO, Optional.empty()));
    assertThat(first.rows()).isEqualTo(2);
    assertThat(first.mark()).contains("2026-03-01 11:00:00");

    // A change made since, and one whose clock was 3 minutes behind the mark when it committed.
    Sql.execute(
        postgres,
        "UPDATE audited SET updated_at = '2026-03-01 12:00:00' WHERE id = 1",
        "INSERT INTO audited VALUES (3, '2026-03-01 10:57:00')");
    Extracted strict = extract(request, audit(Duration.ZERO, first.mark()));
    assertThat(strict.rows()).isEqualTo(1);
    assertThat(strict.mark()).contains("2026-03-01 12:00:00");

    Extracted lookback = extract(request, audit(Duration.ofMinutes(5), first.mark()));
    assertThat(Files.readAllLines(lookback.file()))
        .containsExactlyInAnyOrder(
            "{\"id\":\"1\",\"updated_at\":\"2026-03-01 12:00:00\"}",
            "{\"id\":\"2\",\"updated_at\":\"2026-03-01 11:00:00\"}",
            "{\"id\":\"3\",\"updated_at\":\"2026-03-01 10:57:00\"}");
    assertThat(lookback.mark()).contains("2026-03-01 12:00:00");

    Extracted nothing = extract(request, audit(Duration.ZERO, lookback.mark()));
    assertThat(nothing.rows()).isZero();
    assertThat(nothing.mark()).as("no row: the mark stays").contains("2026-03-01 12:00:00");
  }

  @Test
  void aNumericAuditColumnTakesAWholeNumberLookback() throws Exception {
    Sql.execute(
        postgres,
        "CREATE TABLE versioned (id int, version bigint)",
        "INSERT INTO versioned VALUES (1, 10), (2, 11), (3, 12)");
    SourceRequest request = request("versioned", List.of());
    AuditColumn fromEleven =
        new AuditColumn("version", Duration.ZERO, BigDecimal.ONE, Optional.of("12"));

    Extracted extracted = extract(request, Optional.of(fromEleven));

    assertThat(extracted.rows()).isEqualTo(1);
    assertThat(extracted.mark()).contains("12");
    assertThatThrownBy(
            () ->
                extract(
                    request,
                    Optional.of(
                        new AuditColumn(
                            "version", Duration.ofMinutes(5), BigDecimal.ZERO, Optional.empty()))))
        .isInstanceOf(ExtractFailure.class)
        .hasMessageContaining(
            ": its lookback is a duration, but audit column 'version' is a number (int8);"
                + " write the lookback as a whole number of the column's units");
  }

  @Test
  void namesTheSourceAndSuggestsWhenTheTableOrAColumnIsMissing() throws Exception {
    Sql.execute(postgres, "CREATE TABLE customers (id int, city text)");

    assertThatThrownBy(
            () -> TableExtractor.describe(request("customerz", List.of()), Optional.empty()))
        .isInstanceOf(ExtractFailure.class)
        .hasMessageStartingWith(
            "Cannot read source 'crm.customers' (table 'customerz' through connection 'crm' (postgresql, jdbc:postgresql://")
        .hasMessageEndingWith(
            "): there is no table 'customerz' in 'public'; did you mean 'customers'?");
    assertThatThrownBy(
            () ->
                extract(
                    request("customers", List.of()),
                    audit(Duration.ZERO, Optional.empty())
                        .map(
                            a ->
                                new AuditColumn(
                                    "updated", a.timeLookback(), a.amountLookback(), a.mark()))))
        .isInstanceOf(ExtractFailure.class)
        .hasMessageEndingWith(
            ": its table has no column 'updated' (its audit column); its columns are id, city");
    assertThatThrownBy(
            () ->
                extract(
                    request("customers", List.of()),
                    Optional.of(
                        new AuditColumn("city", Duration.ZERO, BigDecimal.ZERO, Optional.empty()))))
        .hasMessageEndingWith(
            ": audit column 'city' is of type text, which does not grow with each change; use a"
                + " timestamp, date or increasing number column");
  }

  @Test
  void aDeadConnectionNamesTheSourceAndHidesThePassword() {
    WarehouseConnection dead =
        new WarehouseConnection(
            "crm", "postgresql", "jdbc:postgresql://127.0.0.1:1/crm?password=secret", Map.of());
    SourceRequest request = new SourceRequest("crm.customers", dead, "customers", List.of());

    assertThatThrownBy(() -> extract(request, Optional.empty()))
        .isInstanceOf(ExtractFailure.class)
        .hasMessageStartingWith(
            "Cannot connect to source 'crm.customers' (table 'customers' through connection 'crm'"
                + " (postgresql, jdbc:postgresql://127.0.0.1:1/crm?password=***)): ")
        .hasMessageEndingWith(
            "; check that the database is running and the connection's url, user and password in"
                + " conform.yaml")
        .hasMessageNotContaining("secret");
    assertThat(folder.resolve("landing.jsonl")).doesNotExist();
  }

  @Test
  void aReadThatFailsHalfwayLeavesNoLandingFile() throws Exception {
    Sql.execute(
        postgres,
        "CREATE TABLE fragile (id int)",
        "INSERT INTO fragile SELECT generate_series(1, 25000)",
        "CREATE FUNCTION check_row(n int) RETURNS int AS $$ BEGIN IF n = 24000 THEN RAISE"
            + " EXCEPTION 'row % is broken', n; END IF; RETURN n; END $$ LANGUAGE plpgsql",
        "CREATE VIEW fragile_view AS SELECT check_row(id) AS id FROM fragile");

    assertThatThrownBy(() -> extract(request("fragile_view", List.of()), Optional.empty()))
        .isInstanceOf(ExtractFailure.class)
        .hasMessageContaining(": reading its rows failed: ERROR: row 24000 is broken")
        .hasMessageEndingWith("; nothing was loaded and its position did not move");
    assertThat(folder.resolve("landing.jsonl")).doesNotExist();
  }

  @Test
  void readsMariaDbTablesThroughMariaDbAndMySqlUrls() throws Exception {
    String url = TestMariaDb.freshDatabase("conform_extract");
    Sql.execute(
        url,
        "CREATE TABLE accounts (id INT UNSIGNED, total DECIMAL(10,3), active TINYINT(1),"
            + " opened DATE, changed DATETIME(3), note VARCHAR(10))",
        "INSERT INTO accounts VALUES (4000000000, 1.5, 1, '2026-04-01', '2026-04-02 08:00:00.125', ''),"
            + " (1, NULL, 0, NULL, '2026-04-01 08:00:00', NULL)");
    for (String scheme : List.of(url, url.replace("jdbc:mariadb:", "jdbc:mysql:"))) {
      SourceRequest request =
          new SourceRequest(
              "crm.accounts",
              new WarehouseConnection("crm", "mariadb", scheme, Map.of()),
              "accounts",
              List.of());

      Extracted extracted =
          extract(
              request,
              Optional.of(
                  new AuditColumn(
                      "changed",
                      Duration.ofSeconds(1),
                      BigDecimal.ZERO,
                      Optional.of("2026-04-01 08:00:00"))));

      assertThat(extracted.columns())
          .containsExactly(
              Column.of("id", DataType.BIGINT),
              Column.of("total", DataType.decimal(10, 3)),
              Column.of("active", DataType.BOOLEAN),
              Column.of("opened", DataType.DATE),
              Column.of("changed", DataType.TIMESTAMP),
              Column.of("note", DataType.STRING));
      assertThat(Files.readAllLines(extracted.file()))
          .containsExactlyInAnyOrder(
              "{\"id\":\"4000000000\",\"total\":\"1.500\",\"active\":\"true\","
                  + "\"opened\":\"2026-04-01\",\"changed\":\"2026-04-02 08:00:00.125\",\"note\":\"\"}",
              "{\"id\":\"1\",\"total\":null,\"active\":\"false\",\"opened\":null,"
                  + "\"changed\":\"2026-04-01 08:00:00\",\"note\":null}");
      assertThat(extracted.mark()).contains("2026-04-02 08:00:00.125");
    }
  }

  @Test
  void readsDuckDbAndH2TablesWithTheNamesTheDatabaseGivesThem() throws Exception {
    String duckdb = "jdbc:duckdb:" + folder.resolve("source.duckdb");
    String h2 = "jdbc:h2:file:" + folder.resolve("source-h2");
    for (String url : List.of(duckdb, h2)) {
      Sql.execute(
          url,
          "CREATE TABLE items (id INTEGER, name VARCHAR(10), v BIGINT)",
          "INSERT INTO items VALUES (1, 'a', 5), (2, NULL, 7)");
      String type = url.startsWith("jdbc:duckdb:") ? "duckdb" : "h2";
      SourceRequest request =
          new SourceRequest(
              "items", new WarehouseConnection("src", type, url, Map.of()), "ITEMS", List.of());

      Extracted extracted =
          extract(
              request,
              Optional.of(new AuditColumn("v", Duration.ZERO, BigDecimal.ZERO, Optional.of("5"))));

      String id = type.equals("h2") ? "ID" : "id";
      assertThat(extracted.columns().get(0)).isEqualTo(Column.of(id, DataType.INTEGER));
      assertThat(Files.readAllLines(extracted.file()))
          .containsExactly(
              "{\""
                  + id
                  + "\":\"2\",\""
                  + (type.equals("h2") ? "NAME\":null,\"V" : "name\":null,\"v")
                  + "\":\"7\"}");
      assertThat(extracted.mark()).contains("7");
    }
  }

  private Optional<AuditColumn> audit(Duration lookback, Optional<String> mark) {
    return Optional.of(new AuditColumn("updated_at", lookback, BigDecimal.ZERO, mark));
  }

  private Extracted extract(SourceRequest request, Optional<AuditColumn> audit) {
    return TableExtractor.extract(request, audit, folder.resolve("landing.jsonl"), rows -> {});
  }

  private static SourceRequest request(String table, List<Column> declared) {
    return new SourceRequest(
        "crm.customers",
        new WarehouseConnection("crm", "postgresql", postgres, Map.of()),
        table,
        declared);
  }

  static String read(Path file) throws IOException {
    return Files.readString(file);
  }
}
