package dev.conform.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conform.dsl.expr.Expr;
import dev.conform.spi.DataType;
import dev.conform.spi.SourceData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpecReaderTest {
  static String example(String name) {
    try {
      return Files.readString(Path.of("src/test/resources/examples", name), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void readsTheFullYamlExample() {
    SpecFile file = SpecReader.readYaml("models/customers.yaml", example("customers.yaml"));
    assertThat(file.diagnostics()).isEmpty();

    SourceSpec source = file.sources().get(0);
    assertThat(source.name().name()).isEqualTo("customers");
    assertThat(source.name().position()).isEqualTo(Position.of("models/customers.yaml", 2, 11));
    assertThat(source.path()).contains("customers/*.parquet");
    assertThat(source.format()).contains(SourceData.Format.PARQUET);
    assertThat(source.options())
        .containsExactly(
            java.util.Map.entry("delimiter", ","), java.util.Map.entry("header", "true"));
    assertThat(source.columns()).hasSize(10);
    assertThat(source.columns().get(9).type()).isEqualTo(DataType.decimal(12, 2));
    Expression deleteWhen = source.deleteWhen().orElseThrow();
    assertThat(deleteWhen.text()).isEqualTo("op = 'D'");
    assertThat(deleteWhen.position()).isEqualTo(Position.of("models/customers.yaml", 8, 19));

    DimensionSpec dimension = file.dimensions().get(0);
    assertThat(dimension.businessKey()).extracting(Named::name).containsExactly("customer_id");
    assertThat(dimension.surrogateKey().map(Named::name)).contains("customer_sk");
    ScdSpec scd = dimension.scd();
    assertThat(scd.type()).isEqualTo(2);
    assertThat(scd.sequenceBy().ast()).isInstanceOf(Expr.ColumnRef.class);
    assertThat(scd.track()).extracting(Named::name).containsExactly("plan", "city");
    assertThat(scd.deletes()).isEqualTo(DeleteMode.TOMBSTONE);
    assertThat(scd.validTo()).isEqualTo("valid_until");
    assertThat(scd.endOfTime()).contains("9999-12-31");
    assertThat(dimension.columns())
        .extracting(c -> c.name().name())
        .containsExactly("txn_id", "plan", "city", "full_name");
    assertThat(dimension.columns().get(0).expression().ast())
        .isEqualTo(new Expr.ColumnRef("txn_id", Position.of("models/customers.yaml", 26, 7)));
    assertThat(dimension.checks()).hasSize(2);
    assertThat(dimension.onCheckFailure()).isEqualTo(CheckFailureMode.WARN);

    TestSpec test = file.tests().get(0);
    assertThat(test.batches()).hasSize(2);
    TestTable first = test.batches().get(0).sources().get("customers");
    assertThat(first.columns()).containsExactly("txn_id", "customer_id", "effective_date", "plan");
    assertThat(first.rows().get(0)).containsExactly("1", "10", "2020-01-01", "prepaid");
    assertThat(first.rows().get(1)).containsExactly("2", "10", "2019-06-01", null);
    assertThat(test.batches().get(1).sources().get("customers").file()).contains("batch2.csv");
    assertThat(test.expect().rows().get(0))
        .containsExactly("10", "1", "2020-01-01 00:00:00", "true");
  }

  @Test
  void readsTheFullDslExample() {
    SpecFile file = SpecReader.readDsl("models/customers.conform", example("customers.conform"));
    assertThat(file.diagnostics()).isEmpty();
    DimensionSpec dimension = file.dimensions().get(0);
    assertThat(dimension.name().position())
        .isEqualTo(Position.of("models/customers.conform", 8, 11));
    Expression fullName = dimension.columns().get(3).expression();
    assertThat(fullName.text()).isEqualTo("trim(first_name) || ' ' || last_name");
    assertThat(fullName.position()).isEqualTo(Position.of("models/customers.conform", 16, 22));
    assertThat(dimension.onCheckFailure()).isEqualTo(CheckFailureMode.WARN);
    assertThat(file.tests().get(0).batches().get(0).sources().get("customers").rows().get(1))
        .containsExactly("2", "10", "2019-06-01", null);
  }

  @Test
  void bothSpellingsOfTheExampleGiveTheSameModel() {
    SpecFile yaml = SpecReader.readYaml("a.yaml", example("customers.yaml"));
    SpecFile dsl = SpecReader.readDsl("a.conform", example("customers.conform"));
    assertThat(Models.withoutPositions(dsl)).isEqualTo(Models.withoutPositions(yaml));
  }

  @Test
  void infersTheFormatFromThePath() {
    SpecFile file = SpecReader.readDsl("s.conform", "source s from landing path 'in/*.csv'\n");
    assertThat(file.sources().get(0).format()).isEqualTo(Optional.of(SourceData.Format.CSV));
  }

  @Test
  void keepsTheOriginalTextOfScalarsInTestRows() {
    SpecFile file =
        SpecReader.readYaml(
            "t.yaml",
            String.join(
                "\n",
                "tests:",
                "  - name: t",
                "    model: m",
                "    expect:",
                "      rows:",
                "        - { a: yes, b: 0x1F, c: 2020-01-01, d: ~, e: 'null', f: 1.50 }"));
    assertThat(file.diagnostics()).isEmpty();
    assertThat(file.tests().get(0).expect().rows().get(0))
        .containsExactlyElementsOf(
            Arrays.asList("yes", "0x1F", "2020-01-01", null, "null", "1.50"));
  }

  @Test
  void readsTableSourcesWithKeysAndCdcInYaml() {
    SpecFile file = SpecReader.readYaml("models/crm.yaml", example("crm.yaml"));
    assertThat(file.diagnostics()).isEmpty();

    SourceSpec customers = file.sources().get(0);
    assertThat(customers.isTable()).isTrue();
    assertThat(customers.path()).isEmpty();
    assertThat(customers.format()).isEmpty();
    assertThat(customers.table()).contains(new Named("public.customers", yaml(4, 12)));
    assertThat(customers.key()).containsExactly(new Named("customer_id", yaml(5, 11)));
    CdcSpec cdc = customers.cdc().orElseThrow();
    assertThat(cdc.position()).isEqualTo(yaml(7, 5));
    assertThat(cdc.strategy()).isEqualTo(new Named("audit_column", yaml(7, 22)));
    assertThat(cdc.settings())
        .containsExactly(
            Map.entry("column", new CdcSpec.Setting("updated_at", yaml(7, 36), yaml(7, 44))),
            Map.entry("lookback", new CdcSpec.Setting("5m", yaml(7, 56), yaml(7, 66))));
    assertThat(customers.deleteWhen().map(Expression::text)).contains("is_deleted");

    SourceSpec orders = file.sources().get(1);
    assertThat(orders.key()).containsExactly(new Named("order_id", yaml(12, 10)));
    assertThat(orders.cdc().orElseThrow().settings())
        .containsExactly(
            Map.entry("column", new CdcSpec.Setting("version", yaml(15, 7), yaml(15, 15))),
            Map.entry("lookback", new CdcSpec.Setting("300", yaml(16, 7), yaml(16, 17))));

    SourceSpec plans = file.sources().get(2);
    assertThat(plans.table()).contains(new Named("table", yaml(19, 13)));
    assertThat(plans.key()).isEmpty();
    assertThat(plans.cdc()).isEmpty();
  }

  @Test
  void readsTableSourcesWithKeysAndCdcInTheDsl() {
    SpecFile file = SpecReader.readDsl("models/crm.conform", example("crm.conform"));
    assertThat(file.diagnostics()).isEmpty();

    SourceSpec customers = file.sources().get(0);
    assertThat(customers.path()).isEmpty();
    assertThat(customers.format()).isEmpty();
    assertThat(customers.table()).contains(new Named("public.customers", dsl(2, 37)));
    assertThat(customers.key()).containsExactly(new Named("customer_id", dsl(2, 59)));
    CdcSpec cdc = customers.cdc().orElseThrow();
    assertThat(cdc.position()).isEqualTo(dsl(4, 3));
    assertThat(cdc.strategy()).isEqualTo(new Named("audit_column", dsl(4, 7)));
    assertThat(cdc.settings())
        .containsExactly(
            Map.entry("column", new CdcSpec.Setting("updated_at", dsl(4, 21), dsl(4, 28))),
            Map.entry("lookback", new CdcSpec.Setting("5m", dsl(4, 40), dsl(4, 49))));

    SourceSpec orders = file.sources().get(1);
    assertThat(orders.table()).contains(new Named("orders", dsl(8, 9)));
    assertThat(orders.cdc().orElseThrow().settings())
        .containsExactly(
            Map.entry("column", new CdcSpec.Setting("version", dsl(10, 21), dsl(10, 28))),
            Map.entry("lookback", new CdcSpec.Setting("300", dsl(10, 37), dsl(10, 46))));
    assertThat(file.sources().get(2).table()).contains(new Named("table", dsl(12, 33)));
  }

  @Test
  void bothSpellingsOfTheTableExampleGiveTheSameModel() {
    SpecFile yaml = SpecReader.readYaml("a.yaml", example("crm.yaml"));
    SpecFile dsl = SpecReader.readDsl("a.conform", example("crm.conform"));
    assertThat(Models.withoutPositions(dsl)).isEqualTo(Models.withoutPositions(yaml));
  }

  @Test
  void keepsASourceWithNeitherPathNorTableForTheValidator() {
    SpecFile yaml =
        SpecReader.readYaml("s.yaml", "sources:\n  - { name: s, connection: crm, key: id }\n");
    SpecFile dsl = SpecReader.readDsl("s.conform", "source s from crm key id\n");
    for (SpecFile file : List.of(yaml, dsl)) {
      assertThat(file.diagnostics()).isEmpty();
      SourceSpec source = file.sources().get(0);
      assertThat(source.path()).isEmpty();
      assertThat(source.table()).isEmpty();
      assertThat(source.key()).extracting(Named::name).containsExactly("id");
    }
  }

  @Test
  void reportsFileSettingsOnATableSourceWhereTheyAreWritten() {
    SpecFile yaml =
        SpecReader.readYaml(
            "s.yaml",
            String.join(
                "\n",
                "sources:",
                "  - name: s",
                "    connection: crm",
                "    table: customers",
                "    format: csv",
                "    options: { header: true }"));
    assertThat(yaml.diagnostics())
        .extracting(Diagnostic::format)
        .containsExactly(
            "s.yaml:5:5: error INVALID_VALUE: cannot use format on source 's', which reads table"
                + " 'customers': format applies to files only; remove format",
            "s.yaml:6:5: error INVALID_VALUE: cannot use options on source 's', which reads table"
                + " 'customers': options apply to files only; remove options");
    SpecFile dsl =
        SpecReader.readDsl(
            "s.conform", "source s from crm table customers\n  format csv options (header 'true')");
    assertThat(dsl.diagnostics())
        .extracting(Diagnostic::format)
        .containsExactly(
            "s.conform:2:3: error INVALID_VALUE: cannot use format on source 's', which reads"
                + " table 'customers': format applies to files only; remove format",
            "s.conform:2:14: error INVALID_VALUE: cannot use options on source 's', which reads"
                + " table 'customers': options apply to files only; remove options");
  }

  @Test
  void reportsMalformedCdcAndKeysInYaml() {
    SpecFile file =
        SpecReader.readYaml(
            "s.yaml",
            String.join(
                "\n",
                "sources:",
                "  - { name: a, connection: crm, table: a, key: [], cdc: audit_column }",
                "  - { name: b, connection: crm, table: b, cdc: { column: updated_at } }",
                "  - { name: c, connection: crm, table: c, cdc: { strategy: x, lookback: } }"));
    assertThat(file.diagnostics())
        .extracting(Diagnostic::format)
        .containsExactly(
            "s.yaml:2:48: error MISSING_KEY: key lists no column; name the columns that identify"
                + " a row, e.g. key: [customer_id], or remove key",
            "s.yaml:2:57: error INVALID_VALUE: expected a mapping (key: value) for cdc, found"
                + " 'audit_column'",
            "s.yaml:3:48: error MISSING_KEY: missing key 'strategy' in cdc; add 'strategy: ...'",
            "s.yaml:4:72: error INVALID_VALUE: expected a text value for cdc setting 'lookback',"
                + " found nothing");
    // Each source is kept, for the Validator; a cdc without its strategy is left out.
    assertThat(file.sources())
        .extracting(source -> source.cdc().map(cdc -> cdc.strategy().name()))
        .containsExactly(Optional.empty(), Optional.empty(), Optional.of("x"));
  }

  @Test
  void reportsDslSourceClausesGivenTwice() {
    SpecFile file =
        SpecReader.readDsl(
            "s.conform",
            String.join(
                "\n",
                "source s from crm table a table b",
                "  key id key (id)",
                "  cdc audit_column (column a, lookback 1, column b) cdc audit_column"));
    assertThat(file.diagnostics())
        .extracting(Diagnostic::format)
        .containsExactly(
            "s.conform:1:27: error DSL_SYNTAX: cannot parse spec: 'table' given twice",
            "s.conform:2:10: error DSL_SYNTAX: cannot parse spec: 'key' given twice",
            "s.conform:3:43: error DUPLICATE_NAME: duplicate cdc setting 'column'; first given at"
                + " s.conform:3:21",
            "s.conform:3:53: error DSL_SYNTAX: cannot parse spec: 'cdc' given twice");
    SourceSpec source = file.sources().get(0);
    assertThat(source.table().map(Named::name)).contains("a");
    assertThat(source.cdc().orElseThrow().settings())
        .containsExactly(
            Map.entry(
                "column",
                new CdcSpec.Setting(
                    "a", Position.of("s.conform", 3, 21), Position.of("s.conform", 3, 28))),
            Map.entry(
                "lookback",
                new CdcSpec.Setting(
                    "1", Position.of("s.conform", 3, 31), Position.of("s.conform", 3, 40))));
  }

  @Test
  void letsTheNewDslWordsStillBeNames() {
    SpecFile file =
        SpecReader.readDsl(
            "s.conform",
            "source table from cdc path 'in/*.csv' columns (table int, cdc int)\n"
                + "  delete when table = cdc\n"
                + "test t for d batch cdc.orders (id) (1) raw.table (id) (2) expect (id) (1)\n");
    assertThat(file.diagnostics()).isEmpty();
    assertThat(file.tests().get(0).batches().get(0).sources().keySet())
        .containsExactly("cdc.orders", "raw.table");
    SourceSpec source = file.sources().get(0);
    assertThat(source.name().name()).isEqualTo("table");
    assertThat(source.connection().name()).isEqualTo("cdc");
    assertThat(source.columns()).extracting(ColumnSpec::name).containsExactly("table", "cdc");
    SpecFile yaml =
        SpecReader.readYaml(
            "s.yaml",
            "sources:\n  - { name: s, connection: c, path: a.csv, delete_when: 'table = cdc' }\n");
    assertThat(yaml.diagnostics()).isEmpty();
  }

  private static Position yaml(int line, int column) {
    return Position.of("models/crm.yaml", line, column);
  }

  private static Position dsl(int line, int column) {
    return Position.of("models/crm.conform", line, column);
  }
}
