package dev.conform.catalog;

import static dev.conform.catalog.CatalogTestData.twoModelResult;
import static dev.conform.catalog.CatalogTestData.twoModels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.conform.spi.Metric;
import dev.conform.spi.ModelResult;
import dev.conform.spi.RunResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogStoreRunsTest {
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
  void startedRunIsRunningWithItsModelsInOrder() {
    Instant before = Instant.now().minusSeconds(1);
    long runId = store.startRun("xtec", "jdbc", "duckdb", List.of("b_model", "a_model"));

    RunRecord run = store.runs(1).get(0);
    assertThat(run.runId()).isEqualTo(runId);
    assertThat(run.project()).isEqualTo("xtec");
    assertThat(run.runtime()).isEqualTo("jdbc");
    assertThat(run.target()).isEqualTo("duckdb");
    assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
    assertThat(run.startedAt()).isAfter(before);
    assertThat(run.endedAt()).isEmpty();
    assertThat(run.elapsed()).isEmpty();
    assertThat(run.message()).isEmpty();
    assertThat(store.modelRuns(runId))
        .extracting(ModelRunRecord::position, ModelRunRecord::model)
        .containsExactly(tuple(0, "b_model"), tuple(1, "a_model"));
    assertThat(store.modelRuns(runId)).allSatisfy(model -> assertThat(model.counts()).isEmpty());
  }

  @Test
  void runIdsIncreaseAndRunsAreListedNewestFirst() {
    long first = store.startRun("xtec", "jdbc", "duckdb", List.of());
    long second = store.startRun("xtec", "jdbc", "duckdb", List.of());
    long third = store.startRun("xtec", "jdbc", "duckdb", List.of());

    assertThat(second).isGreaterThan(first);
    assertThat(third).isGreaterThan(second);
    assertThat(store.runs(10)).extracting(RunRecord::runId).containsExactly(third, second, first);
    assertThat(store.runs(2)).extracting(RunRecord::runId).containsExactly(third, second);
  }

  @Test
  void finishedRunKeepsCountsAndTimesPerModel() {
    long runId = store.startRun("xtec", "jdbc", "duckdb", twoModels());

    store.finishRun(runId, twoModelResult());

    RunRecord run = store.runs(1).get(0);
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.endedAt())
        .hasValueSatisfying(ended -> assertThat(ended).isAfter(run.startedAt()));
    assertThat(run.elapsed()).contains(Duration.ofMillis(4200));
    assertThat(run.message()).isEmpty();
    List<ModelRunRecord> models = store.modelRuns(runId);
    assertThat(models)
        .extracting(ModelRunRecord::model)
        .containsExactly("dim_customer", "fct_usage");
    assertThat(models.get(0).counts())
        .containsExactly(
            Map.entry(Metric.ROWS_READ, 120L),
            Map.entry(Metric.ROWS_INSERTED, 20L),
            Map.entry(Metric.ROWS_CLOSED, 5L));
    assertThat(models.get(0).elapsed()).contains(Duration.ofMillis(1500));
    assertThat(models.get(1).count(Metric.ROWS_REJECTED)).isEqualTo(3L);
    assertThat(models.get(1).count(Metric.ROWS_INSERTED)).isZero();
    assertThat(models.get(1).elapsed()).contains(Duration.ofMillis(2500));
  }

  @Test
  void failedRunKeepsItsMessageAndIsNotTheLastSuccessfulRun() {
    long succeeded = store.startRun("xtec", "jdbc", "duckdb", twoModels());
    store.finishRun(succeeded, twoModelResult());
    long failed = store.startRun("xtec", "jdbc", "duckdb", twoModels());

    store.failRun(failed, "Cannot insert into dim_customer: disk full");

    RunRecord run = store.runs(1).get(0);
    assertThat(run.runId()).isEqualTo(failed);
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.message()).contains("Cannot insert into dim_customer: disk full");
    assertThat(run.endedAt()).isPresent();
    assertThat(run.elapsed()).isPresent();
    assertThat(store.modelRuns(failed)).allSatisfy(model -> assertThat(model.counts()).isEmpty());
    assertThat(store.lastSuccessfulRun()).map(RunRecord::runId).contains(succeeded);
  }

  @Test
  void noLastSuccessfulRunInANewCatalog() {
    store.startRun("xtec", "jdbc", "duckdb", List.of());

    assertThat(store.lastSuccessfulRun()).isEmpty();
  }

  @Test
  void onlyARunningRunCanBeFinishedOrFailed() {
    long runId = store.startRun("xtec", "jdbc", "duckdb", twoModels());
    store.failRun(runId, "boom");

    assertThatThrownBy(() -> store.finishRun(runId, twoModelResult()))
        .isInstanceOf(CatalogException.class)
        .hasMessage(
            "Cannot finish run " + runId + ": it is FAILED, and only a RUNNING run can change");
    assertThatThrownBy(() -> store.failRun(runId, "again"))
        .isInstanceOf(CatalogException.class)
        .hasMessage(
            "Cannot fail run " + runId + ": it is FAILED, and only a RUNNING run can change");
    assertThatThrownBy(() -> store.failRun(999, "boom"))
        .isInstanceOf(CatalogException.class)
        .hasMessage("Cannot fail run 999: the catalog has no such run");
  }

  @Test
  void resultWithAModelTheRunDidNotStartChangesNothing() {
    long runId = store.startRun("xtec", "jdbc", "duckdb", List.of("dim_customer"));
    RunResult result =
        new RunResult(
            List.of(
                new ModelResult("dim_customer", Map.of(Metric.ROWS_READ, 1L), Duration.ZERO),
                new ModelResult("dim_other", Map.of(Metric.ROWS_READ, 1L), Duration.ZERO)),
            Duration.ZERO);

    assertThatThrownBy(() -> store.finishRun(runId, result))
        .isInstanceOf(CatalogException.class)
        .hasMessage(
            "Cannot finish run "
                + runId
                + ": its result has model 'dim_other', which the run did not start with;"
                + " this is a bug in Conform");
    assertThat(store.runs(1).get(0).status()).isEqualTo(RunStatus.RUNNING);
    assertThat(store.modelRuns(runId).get(0).counts()).isEmpty();
  }

  @Test
  void rejectsAModelListedTwice() {
    assertThatThrownBy(() -> store.startRun("xtec", "jdbc", "duckdb", List.of("a", "b", "a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot start run: model 'a' is listed twice");
    assertThatThrownBy(() -> store.runs(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid run limit: 0");
  }

  @Test
  void markAbandonedLeavesRunsOfThisProcessRunning() {
    long runId = store.startRun("xtec", "jdbc", "duckdb", List.of());

    assertThat(store.markAbandoned()).isZero();
    assertThat(store.runs(1).get(0).status()).isEqualTo(RunStatus.RUNNING);

    assertThat(store.markAbandonedBefore(Instant.now().plusSeconds(1))).isEqualTo(1);
    RunRecord run = store.runs(1).get(0);
    assertThat(run.runId()).isEqualTo(runId);
    assertThat(run.status()).isEqualTo(RunStatus.ABANDONED);
    assertThat(run.endedAt()).isEmpty();
    assertThat(run.message())
        .hasValueSatisfying(
            message ->
                assertThat(message)
                    .startsWith("Its process stopped before the run finished or failed"));
  }

  @Test
  void openingTheProjectAbandonsRunsLeftRunningByAnEarlierProcess() throws Exception {
    long crashed = store.startRun("xtec", "jdbc", "duckdb", twoModels());
    long finished = store.startRun("xtec", "jdbc", "duckdb", twoModels());
    store.finishRun(finished, twoModelResult());
    store.close();
    // A process that started before this JVM and died: its run started before us, too.
    Path file = project.resolve(CatalogStore.PROJECT_CATALOG);
    try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + file);
        PreparedStatement update =
            connection.prepareStatement("UPDATE conform_run SET started_at = ?")) {
      update.setObject(1, OffsetDateTime.of(2020, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
      update.executeUpdate();
    }

    store = CatalogStore.openProject(project);

    assertThat(store.runs(10))
        .extracting(RunRecord::runId, RunRecord::status)
        .containsExactly(tuple(finished, RunStatus.SUCCEEDED), tuple(crashed, RunStatus.ABANDONED));
    assertThatThrownBy(() -> store.finishRun(crashed, twoModelResult()))
        .isInstanceOf(CatalogException.class)
        .hasMessage(
            "Cannot finish run "
                + crashed
                + ": it is ABANDONED, and only a RUNNING run can change");
    assertThat(store.lastSuccessfulRun()).map(RunRecord::runId).contains(finished);
  }
}
