package dev.conform.catalog;

import static dev.conform.catalog.CatalogTestData.twoModelResult;
import static dev.conform.catalog.CatalogTestData.twoModels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogStoreSourceStateTest {
  private static final FileStamp JANUARY = new FileStamp("/data/crm/2024-01.csv", 1000, 1_700_000);
  private static final FileStamp FEBRUARY = new FileStamp("/data/crm/2024-02.csv", 2000, 1_800_000);
  private static final FileStamp CDR = new FileStamp("/data/cdr/day-1.csv", 50, 1_900_000);

  @TempDir Path project;
  private CatalogStore store;

  @BeforeEach
  void openStore() {
    store = CatalogStore.openProject(project);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void completedRunRecordsItsFilesPerSource() {
    long runId = store.startRun("xtec", "jdbc", "duckdb", twoModels());

    store.completeRun(
        runId, twoModelResult(), Map.of("crm", List.of(FEBRUARY, JANUARY), "cdr", List.of(CDR)));

    assertThat(store.processedFiles("crm"))
        .containsExactly(
            Map.entry(JANUARY.path(), new ProcessedFile(JANUARY, runId)),
            Map.entry(FEBRUARY.path(), new ProcessedFile(FEBRUARY, runId)));
    assertThat(store.processedFiles("cdr")).containsOnlyKeys(CDR.path());
    assertThat(store.processedFiles("billing")).isEmpty();
    assertThat(store.runs(1).get(0).status()).isEqualTo(RunStatus.SUCCEEDED);
  }

  @Test
  void changedFileIsDetectedByComparingStampsAndALaterRunReplacesItsStamp() {
    long first = store.startRun("xtec", "jdbc", "duckdb", twoModels());
    store.completeRun(first, twoModelResult(), Map.of("crm", List.of(JANUARY)));
    FileStamp rewritten = new FileStamp(JANUARY.path(), 1000, 1_750_000);

    ProcessedFile processed = store.processedFiles("crm").get(JANUARY.path());
    assertThat(processed.isUnchanged(JANUARY)).isTrue();
    assertThat(processed.isUnchanged(rewritten)).isFalse();
    assertThat(processed.isUnchanged(new FileStamp(JANUARY.path(), 1001, 1_700_000))).isFalse();

    long second = store.startRun("xtec", "jdbc", "duckdb", twoModels());
    store.completeRun(second, twoModelResult(), Map.of("crm", List.of(rewritten, FEBRUARY)));

    assertThat(store.processedFiles("crm"))
        .containsExactly(
            Map.entry(JANUARY.path(), new ProcessedFile(rewritten, second)),
            Map.entry(FEBRUARY.path(), new ProcessedFile(FEBRUARY, second)));
  }

  @Test
  void completeRunRecordsNothingWhenItFailsHalfWay() {
    long earlier = store.startRun("xtec", "jdbc", "duckdb", twoModels());
    store.completeRun(earlier, twoModelResult(), Map.of("cdr", List.of(CDR)));
    long runId = store.startRun("xtec", "jdbc", "duckdb", twoModels());
    FileStamp duplicate = new FileStamp(JANUARY.path(), 999, 1);

    // The run is marked SUCCEEDED and the state written before the duplicate path hits the key.
    assertThatThrownBy(
            () ->
                store.completeRun(
                    runId,
                    twoModelResult(),
                    Map.of("crm", List.of(JANUARY, duplicate), "cdr", List.of(CDR)),
                    Map.of("dim_customer", Map.of("high_water_mark", "2024-02-01"))))
        .isInstanceOf(CatalogException.class)
        .hasMessageStartingWith("Cannot complete run " + runId + " in catalog ")
        .hasMessageContaining("primary key violation");

    assertThat(store.runs(1).get(0).status()).isEqualTo(RunStatus.RUNNING);
    assertThat(store.runs(1).get(0).endedAt()).isEmpty();
    assertThat(store.modelRuns(runId)).allSatisfy(model -> assertThat(model.counts()).isEmpty());
    assertThat(store.processedFiles("crm")).isEmpty();
    assertThat(store.processedFiles("cdr"))
        .containsEntry(CDR.path(), new ProcessedFile(CDR, earlier));
    assertThat(store.modelState("dim_customer")).isEmpty();
    assertThat(store.lastSuccessfulRun()).map(RunRecord::runId).contains(earlier);
  }

  @Test
  void failedRunCannotRecordFiles() {
    long runId = store.startRun("xtec", "jdbc", "duckdb", twoModels());
    store.failRun(runId, "Cannot load crm: bad header");

    assertThatThrownBy(() -> store.recordProcessedFiles(runId, "crm", List.of(JANUARY)))
        .isInstanceOf(CatalogException.class)
        .hasMessage(
            "Cannot record processed files for run "
                + runId
                + ": it is FAILED, and only a RUNNING run can change");
    assertThat(store.processedFiles("crm")).isEmpty();
  }

  @Test
  void recordProcessedFilesThenFinishRunIsTheTwoStepForm() {
    long runId = store.startRun("xtec", "jdbc", "duckdb", twoModels());

    store.recordProcessedFiles(runId, "crm", List.of(JANUARY));
    store.finishRun(runId, twoModelResult());

    assertThat(store.processedFiles("crm")).containsOnlyKeys(JANUARY.path());
    assertThat(store.lastSuccessfulRun()).map(RunRecord::runId).contains(runId);
  }

  @Test
  void aRefreshReplacesOnlyItsSourcesFiles() {
    long first = store.startRun("xtec", "jdbc", "duckdb", twoModels());
    store.completeRun(
        first, twoModelResult(), Map.of("crm", List.of(JANUARY, FEBRUARY), "cdr", List.of(CDR)));

    long refresh = store.startRun("xtec", "jdbc", "duckdb", twoModels());
    store.completeRefresh(refresh, twoModelResult(), Map.of("crm", List.of(FEBRUARY)), Map.of());

    assertThat(store.processedFiles("crm")).containsOnlyKeys(FEBRUARY.path());
    assertThat(store.processedFiles("cdr")).containsOnlyKeys(CDR.path());
  }

  @Test
  void aRefreshThatCannotCompleteKeepsTheOldRecord() {
    long first = store.startRun("xtec", "jdbc", "duckdb", twoModels());
    store.completeRun(first, twoModelResult(), Map.of("crm", List.of(JANUARY, FEBRUARY)));

    // Completing a finished run fails before anything is forgotten.
    assertThatThrownBy(
            () ->
                store.completeRefresh(first, twoModelResult(), Map.of("crm", List.of()), Map.of()))
        .isInstanceOf(CatalogException.class)
        .hasMessage(
            "Cannot finish run " + first + ": it is SUCCEEDED, and only a RUNNING run can change");
    assertThat(store.processedFiles("crm")).containsOnlyKeys(JANUARY.path(), FEBRUARY.path());

    // Recording fails after the old record was forgotten, in the same transaction: it comes back.
    long refresh = store.startRun("xtec", "jdbc", "duckdb", twoModels());
    assertThatThrownBy(
            () ->
                store.completeRefresh(
                    refresh,
                    twoModelResult(),
                    Map.of("crm", List.of(FEBRUARY, FEBRUARY)),
                    Map.of()))
        .isInstanceOf(CatalogException.class)
        .hasMessageStartingWith("Cannot complete run " + refresh + " in catalog ");
    assertThat(store.processedFiles("crm")).containsOnlyKeys(JANUARY.path(), FEBRUARY.path());
  }

  @Test
  void modelStateAdvancesWithCommittedRunsAndResetModelForgetsIt() {
    long first = store.startRun("xtec", "jdbc", "duckdb", twoModels());
    store.completeRun(
        first,
        twoModelResult(),
        Map.of(),
        Map.of(
            "dim_customer", Map.of("high_water_mark", "2024-01-31", "log_id", "17"),
            "fct_usage", Map.of("lsn", "0/16B3748")));
    long second = store.startRun("xtec", "jdbc", "duckdb", twoModels());
    store.completeRun(
        second, twoModelResult(), Map.of(), Map.of("dim_customer", Map.of("log_id", "42")));

    assertThat(store.modelState("dim_customer"))
        .containsExactly(Map.entry("high_water_mark", "2024-01-31"), Map.entry("log_id", "42"));

    store.resetModel("dim_customer");

    assertThat(store.modelState("dim_customer")).isEmpty();
    assertThat(store.modelState("fct_usage")).containsExactly(Map.entry("lsn", "0/16B3748"));
    assertThat(store.runs(10)).hasSize(2);
  }

  @Test
  void fileStampOfAFileOnDiskIsAbsoluteWithSizeAndTime() throws Exception {
    Path file = Files.writeString(project.resolve("customers.csv"), "id,name\n1,Ann\n");
    Files.setLastModifiedTime(file, FileTime.fromMillis(1_234_000L));

    assertThat(FileStamp.of(file))
        .isEqualTo(new FileStamp(file.toAbsolutePath().normalize().toString(), 14, 1_234_000L));
    assertThatThrownBy(() -> FileStamp.of(project.resolve("missing.csv")))
        .hasMessageStartingWith("Cannot stamp file " + project.resolve("missing.csv"));
    assertThatThrownBy(() -> new FileStamp("a.csv", -1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid file size for a.csv: -1");
  }
}
