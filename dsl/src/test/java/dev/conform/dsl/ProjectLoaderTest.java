package dev.conform.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProjectLoaderTest {
  @Test
  void loadsAValidProjectWithTheDefaultWarehouse() {
    LoadedProject loaded = ProjectLoader.load(Path.of("src/test/resources/projects/shop"));
    assertThat(loaded.diagnostics()).isEmpty();
    ProjectSpec project = loaded.orThrow();
    assertThat(project.name()).isEqualTo("shop");
    assertThat(project.runtime()).isEmpty();
    assertThat(project.target().name()).isEqualTo("warehouse");
    assertThat(project.connections())
        .extracting(ConnectionSpec::name, ConnectionSpec::type, ConnectionSpec::path)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("landing", "files", Optional.of("data/landing")),
            org.assertj.core.groups.Tuple.tuple(
                "warehouse", "duckdb", Optional.of("target/warehouse.duckdb")));
    assertThat(project.dimensions().get(0).position().file())
        .isEqualTo("models/dim_customer.conform");
  }

  @Test
  void loadsAProjectWhoseOnlyDiagnosticsAreWarnings() {
    LoadedProject loaded = ProjectLoader.load(Path.of("src/test/resources/projects/crm"));
    assertThat(loaded.hasErrors()).isFalse();
    assertThat(loaded.diagnostics())
        .extracting(Diagnostic::format)
        .containsExactly(
            "models/customers.conform:3:3: warning CANNOT_SEE_DELETES: source 'crm.customers'"
                + " captures changes by audit_column, which cannot see rows deleted from table"
                + " 'public.customers': they stay current in the models built from it; mark soft"
                + " deletes with delete_when");
    SourceSpec source = loaded.orThrow().sources().get(0);
    assertThat(source.table().map(Named::name)).contains("public.customers");
    assertThat(source.cdc().flatMap(cdc -> cdc.setting("lookback")).map(s -> s.value()))
        .contains("5m");
  }
}
