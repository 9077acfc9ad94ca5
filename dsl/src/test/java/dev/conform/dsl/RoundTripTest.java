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

  /** Table sources with keys and CDC settings whose values need quoting in one spelling. */
  private static final String UNUSUAL_TABLES =
      String.join(
          "\n",
          "source \"cdc\".\"table\" from crm table \"my schema\".\"Order Lines\"",
          "  key (\"key\", line_no)",
          "  cdc audit_column (column \"time\", lookback 'PT5M', 'odd key' 'it''s', flag true,",
          "    neg -5, big 12.50, word \"Updated\")",
          "source orders from crm table orders cdc snapshot",
          "");

  @Test
  void yamlToDslToYamlKeepsTheModel() {
    for (String example : new String[] {"customers.yaml", "crm.yaml"}) {
      SpecFile yaml = SpecReader.readYaml("a.yaml", example(example));
      String dslText = DslPrinter.print(yaml);
      SpecFile dsl = SpecReader.readDsl("a.conform", dslText);
      assertThat(dsl.diagnostics()).as(dslText).isEmpty();
      String yamlText = YamlPrinter.print(dsl);
      SpecFile yamlAgain = SpecReader.readYaml("b.yaml", yamlText);
      assertThat(yamlAgain.diagnostics()).as(yamlText).isEmpty();
      assertThat(Models.withoutPositions(dsl)).as(dslText).isEqualTo(Models.withoutPositions(yaml));
      assertThat(Models.withoutPositions(yamlAgain))
          .as(yamlText)
          .isEqualTo(Models.withoutPositions(yaml));
    }
  }

  @Test
  void dslToYamlToDslKeepsTheModel() {
    for (String text :
        new String[] {
          example("customers.conform"), UNUSUAL, example("crm.conform"), UNUSUAL_TABLES
        }) {
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
  void printsTableSourcesReadably() {
    SpecFile yaml = SpecReader.readYaml("a.yaml", example("crm.yaml"));
    assertThat(SpecFormatter.print(yaml, SpecFormatter.Target.DSL))
        .isEqualTo(
            String.join(
                "\n",
                "source crm.customers from crm table public.customers",
                "  key (customer_id)",
                "  columns (customer_id bigint, name string, updated_at timestamp, is_deleted"
                    + " boolean)",
                "  cdc audit_column (column updated_at, lookback '5m')",
                "  delete when is_deleted",
                "",
                "source crm.orders from crm table orders",
                "  key (order_id)",
                "  cdc audit_column (column version, lookback 300)",
                "",
                "source crm.plans from crm table \"table\"",
                ""));
    SpecFile dsl = SpecReader.readDsl("a.conform", example("crm.conform"));
    assertThat(SpecFormatter.print(dsl, SpecFormatter.Target.YAML))
        .startsWith(
            String.join(
                "\n",
                "sources:",
                "  - name: crm.customers",
                "    connection: crm",
                "    table: public.customers",
                "    key: [customer_id]",
                "    columns:",
                "      customer_id: bigint",
                "      name: string",
                "      updated_at: timestamp",
                "      is_deleted: boolean",
                "    cdc:",
                "      strategy: audit_column",
                "      column: updated_at",
                "      lookback: 5m",
                "    delete_when: is_deleted",
                "  - name: crm.orders",
                "    connection: crm",
                "    table: orders",
                "    key: [order_id]",
                "    cdc:",
                "      strategy: audit_column",
                "      column: version",
                "      lookback: 300",
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
