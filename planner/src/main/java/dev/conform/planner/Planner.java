package dev.conform.planner;

import static java.util.Objects.requireNonNull;

import dev.conform.spi.SourceData;
import dev.conform.spi.SqlDialect;

/**
 * Plans the loading of bound models for one dialect. Stateless; one instance may plan many runs.
 */
public final class Planner {

  /** What one model loads in a run. */
  public record ModelRequest(BoundDimension dimension, SourceData data) {
    public ModelRequest {
      requireNonNull(dimension, "dimension is null");
      requireNonNull(data, "data is null");
    }
  }

  /**
   * Plans one dimension's load of {@code data}.
   *
   * @param runId written into the reject table with every rejected row
   * @param fullRefresh drop the target and its journal first and rebuild from this data
   */
  public PlannedModel plan(
      ModelRequest request, SqlDialect dialect, long runId, boolean fullRefresh) {
    BoundDimension dimension = request.dimension();
    ModelPlanBuilder builder =
        new ModelPlanBuilder(dimension.name(), new PlanSchema(), new DialectRenderer(dialect));
    switch (dimension.scdType()) {
      case 1 -> new Scd1Template(dimension).plan(builder, request.data(), runId, fullRefresh);
      case 2 -> new Scd2Template(dimension).plan(builder, request.data(), runId, fullRefresh);
      default ->
          throw new IllegalStateException(
              "Bug: a dimension with scd type " + dimension.scdType() + " passed validation");
    }
    return builder.build();
  }
}
