package dev.conform.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conform.dsl.SpecFile;
import dev.conform.dsl.SpecReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The customer example's spec is written twice, in YAML and in the DSL; the two must not drift. */
class DimCustomerSpellingsTest {
  private static final Path PROJECT = Path.of("customer-scd");

  private static SpecFile read(String file) throws Exception {
    return SpecReader.read(file, Files.readString(PROJECT.resolve(file)));
  }

  @Test
  void yamlAndDslSpellingsReadIntoTheSameModel() throws Exception {
    SpecFile yaml = read("models/dim_customer.yaml");
    SpecFile dsl = read("models-dsl/dim_customer.conform");

    assertThat(yaml.diagnostics()).isEmpty();
    assertThat(dsl.diagnostics()).isEmpty();
    assertThat(yaml.sources()).hasSize(1);
    assertThat(yaml.dimensions()).hasSize(1);
    assertThat(SpecModels.withoutPositions(dsl)).isEqualTo(SpecModels.withoutPositions(yaml));
  }

  @Test
  void namesTheSeedsColumns() throws Exception {
    SpecFile yaml = read("models/dim_customer.yaml");

    assertThat(yaml.sources().get(0).columns())
        .extracting(c -> c.name() + " " + c.type())
        .containsExactly(
            "txn_id bigint",
            "file_no integer",
            "line_no integer",
            "customer_id bigint",
            "effective_date timestamp");
    var scd = yaml.dimensions().get(0).scd();
    assertThat(scd.validFrom()).isEqualTo("start_date");
    assertThat(scd.validTo()).isEqualTo("end_date");
    assertThat(scd.endOfTime()).contains("9999-12-31");
  }
}
