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
}
