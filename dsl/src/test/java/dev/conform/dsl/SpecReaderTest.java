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
}
