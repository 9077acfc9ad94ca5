package dev.conform.dsl;

import static dev.conform.dsl.SpecReaderTest.example;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RoundTripTest {
  private static final String UNUSUAL =
      String.join(
          "\n",
          "source \"crm\".\"order lines\" from \"files\" path 'o''brien/*.json'",
          "  options ('field sep' '|', quote '\"')",
          "  columns (\"key\" int, \"select\" string, amount numeric(10, 3))",
          "",
          "dimension dim_order from crm.\"order lines\"",
          "  key \"key\"",
          "  scd1 sequence by cast(\"select\" as date)",
          "    -- a comment between options",
          "    deletes ignore",
          "  column \"key\"",
          "  column label = case when amount > 10",
          "    then 'big' else 'small' end",
          "",
          "test empty_batch for dim_order",
          "  batch",
          "  batch",
          "    \"crm\".\"order lines\" (\"key\", \"select\")",
          "  expect (\"key\") (-1) (2.50) ('') ('yes') ('null')",
          "");

  @Test
  void yamlToDslToYamlKeepsTheModel() {
    SpecFile yaml = SpecReader.readYaml("a.yaml", example("customers.yaml"));
    String dslText = DslPrinter.print(yaml);
    SpecFile dsl = SpecReader.readDsl("a.conform", dslText);
    assertThat(dsl.diagnostics()).as(dslText).isEmpty();
    String yamlText = YamlPrinter.print(dsl);
    SpecFile yamlAgain = SpecReader.readYaml("b.yaml", yamlText);
    assertThat(yamlAgain.diagnostics()).as(yamlText).isEmpty();
    assertThat(Models.withoutPositions(dsl)).isEqualTo(Models.withoutPositions(yaml));
    assertThat(Models.withoutPositions(yamlAgain)).isEqualTo(Models.withoutPositions(yaml));
  }

  @Test
  void dslToYamlToDslKeepsTheModel() {
    for (String text : new String[] {example("customers.conform"), UNUSUAL}) {
      SpecFile dsl = SpecReader.readDsl("a.conform", text);
      assertThat(dsl.diagnostics()).isEmpty();
      String yamlText = YamlPrinter.print(dsl);
      SpecFile yaml = SpecReader.readYaml("a.yaml", yamlText);
      assertThat(yaml.diagnostics()).as(yamlText).isEmpty();
      String dslText = DslPrinter.print(yaml);
      SpecFile dslAgain = SpecReader.readDsl("b.conform", dslText);
      assertThat(dslAgain.diagnostics()).as(dslText).isEmpty();
      assertThat(Models.withoutPositions(yaml))
          .as(yamlText)
          .isEqualTo(Models.withoutPositions(dsl));
      assertThat(Models.withoutPositions(dslAgain))
          .as(dslText)
          .isEqualTo(Models.withoutPositions(dsl));
    }
  }

  @Test
  void printsTheDslReadably() {
    SpecFile yaml = SpecReader.readYaml("a.yaml", example("customers.yaml"));
    assertThat(SpecFormatter.print(yaml, SpecFormatter.Target.DSL))
        .startsWith(
            String.join(
                "\n",
                "source customers from landing path 'customers/*.parquet' format parquet",
                "  options (delimiter ',', header 'true')",
                "  columns (txn_id bigint, customer_id bigint, first_name string, last_name"
                    + " string, plan string, city string, status string, op string,"
                    + " effective_date timestamp, amount decimal(12,2))",
                "  delete when op = 'D'",
                "",
                "dimension dim_customer from customers",
                "  key (customer_id)",
                "  surrogate customer_sk",
                "  scd2 sequence by effective_date",
                "    tie breaker (txn_id)",
                "    track (plan, city)",
                "    deletes tombstone",
                "    valid to valid_until",
                "    end of time '9999-12-31'",
                "  column txn_id",
                ""));
  }

  @Test
  void refusesToConvertAFileWithErrors() {
    assertThatThrownBy(
            () ->
                SpecFormatter.convert("bad.conform", "source s from\n", SpecFormatter.Target.YAML))
        .isInstanceOf(SpecException.class)
        .hasMessage(
            "bad.conform:2:1: error DSL_SYNTAX: cannot parse spec: unexpected end of spec;"
                + " expected a name");
  }
}
