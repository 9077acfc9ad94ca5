package dev.conform.planner;

import dev.conform.spi.Metric;
import dev.conform.spi.ModelPlan;
import dev.conform.spi.Step;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;

/** Collects one model's steps, rendering each query for the dialect and keeping its plan. */
final class ModelPlanBuilder {
  private final String model;
  private final PlanSchema schema;
  private final DialectRenderer renderer;
  private final List<ExplainedStep> steps = new ArrayList<>();
  private final List<String> temporaryTables = new ArrayList<>();
  private final Set<String> temporaryViews = new HashSet<>();

  ModelPlanBuilder(String model, PlanSchema schema, DialectRenderer renderer) {
    this.model = model;
    this.schema = schema;
    this.renderer = renderer;
  }

  PlanSchema schema() {
    return schema;
  }

  DialectRenderer renderer() {
    return renderer;
  }

  void add(Step step) {
    steps.add(new ExplainedStep(step, Optional.empty()));
  }

  /** Stores {@code rel} in a temporary table that later steps can scan. */
  void createTemp(String description, String table, RelNode rel) {
    schema.addTable(table, rel);
    temporaryTables.add(table);
    steps.add(
        new ExplainedStep(
            new Step.Materialize(
                description, table, renderer.query(rel), renderer.createTempTableAs(table, rel)),
            Optional.of(RelOptUtil.toString(rel))));
  }

  /** Deletes the rows of {@code table} whose row ids {@code rowIds} returns. */
  void deleteRows(String description, String table, RelNode rowIds) {
    steps.add(
        new ExplainedStep(
            new Step.DeleteRows(
                description, table, renderer.query(rowIds), renderer.deleteRows(table, rowIds)),
            Optional.of(RelOptUtil.toString(rowIds))));
  }

  /**
   * Names {@code rel} as a temporary view where the dialect has them, so later steps read through
   * it instead of storing it; elsewhere it is stored like {@link #createTemp}. For relations that
   * are cheap to read again and read a few times, such as a projection of a source.
   */
  void createView(String description, String view, RelNode rel) {
    if (!renderer.hasTemporaryViews()) {
      createTemp(description, view, rel);
      return;
    }
    schema.addTable(view, rel);
    temporaryViews.add(view);
    temporaryTables.add(view);
    steps.add(
        new ExplainedStep(
            Step.Statement.of(description, renderer.createTempViewAs(view, rel)),
            Optional.of(RelOptUtil.toString(rel))));
  }

  void insert(String description, String table, List<String> columns, RelNode rel, Metric metric) {
    insert(description, table, columns, rel, metric, UnaryOperator.identity());
  }

  /** Inserts like the other {@code insert}, with the statement as {@code adjust} makes it. */
  void insert(
      String description,
      String table,
      List<String> columns,
      RelNode rel,
      Metric metric,
      UnaryOperator<Step.Statement> adjust) {
    String sql = renderer.insert(table, columns, rel);
    Step.Statement statement =
        metric == null
            ? Step.Statement.of(description, sql)
            : Step.Statement.counting(description, sql, metric, table);
    steps.add(new ExplainedStep(adjust.apply(statement), Optional.of(RelOptUtil.toString(rel))));
  }

  /**
   * A count of the rows of {@code relation} whose boolean columns have the values {@code flags}
   * gives, added to {@code metric} unless that is null.
   */
  Step.Tally tally(String name, Metric metric, String relation, Map<String, Boolean> flags) {
    RelNode count = Relations.countWithFlags(schema.builder(), relation, flags);
    return new Step.Tally(
        name, Optional.ofNullable(metric), relation, flags, renderer.query(count));
  }

  /** A query that returns one row of counts, added to {@code metrics} in order. */
  void measure(String description, RelNode countQuery, Metric... metrics) {
    steps.add(
        new ExplainedStep(
            new Step.Measure(description, renderer.query(countQuery), List.of(metrics)),
            Optional.of(RelOptUtil.toString(countQuery))));
  }

  void expect(String description, RelNode countQuery, String failureMessage) {
    steps.add(
        new ExplainedStep(
            new Step.Expect(description, renderer.query(countQuery), failureMessage),
            Optional.of(RelOptUtil.toString(countQuery))));
  }

  PlannedModel build() {
    // Last first: a view goes before the tables it reads.
    List<String> lastFirst = new ArrayList<>(temporaryTables);
    Collections.reverse(lastFirst);
    for (String table : lastFirst) {
      add(
          Step.Statement.of(
              "drop " + table,
              temporaryViews.contains(table)
                  ? renderer.dropTempView(table)
                  : renderer.dropTemp(table)));
    }
    List<Step> plain = steps.stream().map(ExplainedStep::step).toList();
    return new PlannedModel(new ModelPlan(model, plain), steps);
  }
}
