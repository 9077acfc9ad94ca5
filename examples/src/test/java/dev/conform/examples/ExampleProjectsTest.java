package dev.conform.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conform.dsl.DimensionSpec;
import dev.conform.dsl.LoadedProject;
import dev.conform.dsl.ProjectLoader;
import dev.conform.dsl.ProjectSpec;
import dev.conform.dsl.SourceSpec;
import dev.conform.dsl.TestSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every example project loads as users will load it, without a single diagnostic. */
class ExampleProjectsTest {

  private static ProjectSpec load(String folder) {
    LoadedProject loaded = ProjectLoader.load(Path.of(folder));
    assertThat(loaded.diagnostics()).as(folder).isEmpty();
    return loaded.orThrow();
  }

  @ParameterizedTest
  @ValueSource(strings = {"customer-scd", "xtec"})
  void loadsWithoutDiagnostics(String folder) {
    ProjectSpec project = load(folder);

    assertThat(project.name()).isEqualTo(folder);
    assertThat(project.sources()).isNotEmpty();
    assertThat(project.dimensions()).isNotEmpty();
    assertThat(project.tests()).isNotEmpty();
  }

  @Test
  void customerProjectReadsTheYamlSpellingOnly() {
    ProjectSpec project = load("customer-scd");

    assertThat(project.sources()).extracting(s -> s.name().name()).containsExactly("customers");
    assertThat(project.sources().get(0).position().file()).isEqualTo("models/dim_customer.yaml");
    assertThat(project.dimensions())
        .extracting(d -> d.name().name())
        .containsExactly("dim_customer");
    assertThat(project.tests())
        .extracting(t -> t.name().name())
        .containsExactly(
            "backdated_record_splits_history",
            "same_date_highest_txn_id_takes_the_interval",
            "initial_load_then_batches",
            "redelivered_record_changes_nothing");
  }

  @Test
  void xtecProjectHasBothDimensionsOverTheCrmExport() {
    ProjectSpec project = load("xtec");

    SourceSpec source = project.sources().get(0);
    assertThat(source.name().name()).isEqualTo("crm_customers");
    assertThat(source.deleteWhen()).map(e -> e.text()).contains("op = 'D'");
    assertThat(project.dimensions())
        .extracting(DimensionSpec::name)
        .extracting(n -> n.name())
        .containsExactly("dim_crm_customer", "dim_crm_customer_current");
    assertThat(project.dimensions()).extracting(d -> d.scd().type()).containsExactly(2, 1);
    assertThat(project.tests())
        .extracting(TestSpec::model)
        .extracting(m -> m.name())
        .contains("dim_crm_customer", "dim_crm_customer_current");
  }
}
