package dev.conform.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conform.planner.GoldenScenario.Batch;
import dev.conform.spi.Column;
import dev.conform.spi.SourceData;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs a golden case's scenario on an engine, one run per batch, and checks the target and reject
 * tables after each run.
 */
final class ScenarioRunner {
  private ScenarioRunner() {}

  static void run(String caseName, GoldenEngine engine) {
    GoldenCase goldenCase = GoldenCase.named(caseName);
    GoldenScenario scenario =
        GoldenScenarios.forCase(caseName)
            .orElseThrow(() -> new AssertionError("No scenario for golden case " + caseName));
    BoundDimension dimension = goldenCase.dimension(scenario.model());
    DialectRenderer renderer = new DialectRenderer(engine.dialect());
    List<String> sourceColumns = dimension.sourceColumns().stream().map(Column::name).toList();
    String rejects =
        "SELECT "
            + List.of("run_id", "origin", "reason").stream()
                .map(renderer::quote)
                .collect(Collectors.joining(", "))
            + " FROM "
            + renderer.quote(new ModelTables(scenario.model()).rejects());
    long runId = 1;
    for (Batch batch : scenario.batches()) {
      String step =
          String.format(
              "%s on %s, run %d (%s)", caseName, engine.dialect(), runId, batch.description());
      PlannedModel planned =
          new Planner()
              .plan(
                  new Planner.ModelRequest(
                      dimension, new SourceData.InlineRows(sourceColumns, batch.rows())),
                  engine.dialect(),
                  runId,
                  Planner.start(dimension, false, engine::tableExists));
      if (batch.failure().isPresent()) {
        assertThatThrownBy(() -> engine.run(planned.plan()))
            .as(step)
            .hasMessageContaining(batch.failure().get());
      } else {
        engine.run(planned.plan());
      }
      GoldenEngine.Rows target = engine.query("SELECT * FROM " + renderer.quote(scenario.model()));
      assertThat(target.columns())
          .as("%s: target columns", step)
          .containsExactlyElementsOf(scenario.targetColumns());
      assertThat(ReferenceScd.sorted(target.rows()))
          .as("%s: target rows", step)
          .containsExactlyElementsOf(ReferenceScd.sorted(batch.target()));
      assertThat(ReferenceScd.sorted(engine.query(rejects).rows()))
          .as("%s: reject rows", step)
          .containsExactlyElementsOf(ReferenceScd.sorted(batch.rejects()));
      runId++;
    }
  }
}
