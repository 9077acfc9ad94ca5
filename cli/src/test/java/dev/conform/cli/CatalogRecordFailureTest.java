package dev.conform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conform.catalog.CatalogStore;
import dev.conform.catalog.RunRecord;
import dev.conform.catalog.RunStatus;
import dev.conform.spi.ConformRuntime;
import dev.conform.spi.RunListener;
import dev.conform.spi.Step;
import dev.conform.spi.WarehouseConnection;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run the warehouse committed but the catalog could not record: the command fails saying what
 * happened, and the next run loads the same file again without changing the targets.
 */
class CatalogRecordFailureTest {
  @TempDir Path folder;

  @Test
  void aCatalogThatCannotRecordACommittedRunFailsClearlyAndTheNextRunChangesNothing()
      throws Exception {
    Path project = TestProject.files(folder, "shop", "data");
    Files.createDirectories(project.resolve("data"));
    TestProject.model(
        project,
        "customers.yaml",
        """
        sources:
          - name: customers
            connection: landing
            path: "customers_*.csv"
            format: csv
            columns: { id: integer, name: string, changed: timestamp }
        dimensions:
          - name: dim_customer
            from: customers
            business_key: [id]
            scd: { type: 2, sequence_by: changed }
            columns: { name: }
        """);
    Files.writeString(
        project.resolve("data/customers_1.csv"),
        "id,name,changed\n1,Amal,2026-01-01 10:00:00\n2,Omar,2026-01-01 11:00:00\n"
            + "1,Amala,2026-01-02 10:00:00\n");

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Printer printer = new Printer(new PrintWriter(out, true), new PrintWriter(err, true));
    ProjectContext context = ProjectContext.load(project, printer);
    RuntimeRegistry runtimes = new RuntimeRegistry();
    String runtimeName = context.runtimeName(Optional.empty(), runtimes);
    WarehouseConnection warehouse = runtimes.warehouse(runtimeName, context);
    // While the warehouse applies the run, another conform process sharing the catalog ends the
    // run there (as one that finds it stale does): the catalog then refuses to record it.
    String catalogUrl =
        "jdbc:h2:file:" + project.toAbsolutePath().resolve(CatalogStore.PROJECT_CATALOG);
    long[] ended = {-1};
    RunListener interloper =
        new RunListener() {
          @Override
          public void stepStarted(String model, Step step, int index, int total) {
            if (ended[0] < 0) {
              try (CatalogStore other = CatalogStore.open(catalogUrl)) {
                ended[0] = other.runs(1).get(0).runId();
                other.failRun(ended[0], "ended by another process");
              }
            }
          }
        };
    ConformRuntime[] engine = new ConformRuntime[1];
    try {
      assertThatThrownBy(
              () ->
                  new ProjectRunner(context, printer)
                      .run(
                          List.of(),
                          () -> engine[0] = runtimes.open(runtimeName, warehouse),
                          runtimeName,
                          warehouse.name(),
                          false,
                          interloper))
          .isInstanceOf(UserException.class)
          .hasMessage(
              "The warehouse committed run 1, but the catalog could not record it: Cannot finish"
                  + " run 1: it is FAILED, and only a RUNNING run can change; the next run reads"
                  + " the same changes again, and loading them again changes nothing")
          .satisfies(
              e -> assertThat(((UserException) e).exitCode()).isEqualTo(ExitCode.RUN_FAILED));
    } finally {
      if (engine[0] != null) {
        engine[0].close();
      }
    }
    assertThat(ended[0]).isEqualTo(1);
    List<String> loaded =
        List.of(
            "1,Amal,2026-01-01 10:00:00,2026-01-02 10:00:00,false",
            "1,Amala,2026-01-02 10:00:00,,true",
            "2,Omar,2026-01-01 11:00:00,,true");
    assertThat(show(project)).containsExactlyElementsOf(loaded);

    // The catalog still holds the file as not loaded: the next run loads it again, to no effect.
    CliRun again = CliRun.of(project, "run");
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(show(project)).containsExactlyElementsOf(loaded);
    try (CatalogStore catalog = CatalogStore.openProject(project)) {
      List<RunRecord> runs = catalog.runs(2);
      assertThat(runs)
          .extracting(RunRecord::status)
          .containsExactly(RunStatus.SUCCEEDED, RunStatus.FAILED);
    }
    assertThat(CliRun.of(project, "run").out()).containsPattern("dim_customer.*up to date");
  }

  private static List<String> show(Path project) {
    return Warehouse.show(project, "dim_customer");
  }
}
