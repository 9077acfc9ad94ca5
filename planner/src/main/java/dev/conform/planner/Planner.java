package dev.conform.planner;

import static java.util.Objects.requireNonNull;

import dev.conform.spi.SourceData;
import dev.conform.spi.SqlDialect;
import java.util.function.Predicate;

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

  /** How a model's tables stand when its run starts, which decides the shape of its plan. */
  public enum Start {
    /** The tables hold what earlier runs applied: only the keys the batch touches are replayed. */
    INCREMENTAL,
    /** Neither the target nor the journal exists yet: the batch is the whole history. */
    NEW_TABLES,
    /** {@code --full-refresh}: the tables are recreated and rebuilt from this data alone. */
    FULL_REFRESH
  }

  /**
   * How {@code dimension}'s run starts: {@code tableExists} answers for the warehouse the plan will
   * run on. A missing target with a journal left (or the reverse) is planned incrementally, so
   * whatever the journal holds still counts.
   */
  public static Start start(
      BoundDimension dimension, boolean fullRefresh, Predicate<String> tableExists) {
    if (fullRefresh) {
      return Start.FULL_REFRESH;
    }
    ModelTables tables = new ModelTables(dimension.name());
    return tableExists.test(tables.target()) || tableExists.test(tables.journal())
        ? Start.INCREMENTAL
        : Start.NEW_TABLES;
  }

  /**
   * What the model's journal keeps, in words: plans read the journal as written by the same layout,
   * so a run whose spec changes it needs a full refresh (see {@code conform run}).
   */
  public static String journalLayout(BoundDimension dimension) {
    return dimension.scdType() == 1
        ? "the last event of each key"
        : new Scd2Template(dimension).journalLayout();
  }

  /**
   * Plans one dimension's load of {@code data}.
   *
   * @param runId written into the reject table with every rejected row
   * @param start how the model's tables stand (see {@link #start})
   */
  public PlannedModel plan(ModelRequest request, SqlDialect dialect, long runId, Start start) {
    BoundDimension dimension = request.dimension();
    ModelPlanBuilder builder =
        new ModelPlanBuilder(dimension.name(), new PlanSchema(), new DialectRenderer(dialect));
    switch (dimension.scdType()) {
      case 1 -> new Scd1Template(dimension).plan(builder, request.data(), runId, start);
      case 2 -> new Scd2Template(dimension).plan(builder, request.data(), runId, start);
      default ->
          throw new IllegalStateException(
              "Bug: a dimension with scd type " + dimension.scdType() + " passed validation");
    }
    return builder.build();
  }
}
