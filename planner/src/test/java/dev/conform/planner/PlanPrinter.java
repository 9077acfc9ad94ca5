package dev.conform.planner;

import dev.conform.spi.Metric;
import dev.conform.spi.Step;
import java.util.List;

/**
 * Prints planned models as the golden files show them: every step's description with its Calcite
 * logical plan, or every step rendered as SQL. The output depends only on the plan.
 */
final class PlanPrinter {
  private PlanPrinter() {}

  /** Each step's description and its logical plan, or what the step is when it has none. */
  static String logicalPlans(List<PlannedModel> models) {
    StringBuilder out = new StringBuilder();
    for (PlannedModel model : models) {
      out.append("# model ").append(model.plan().model()).append('\n');
      int number = 1;
      for (ExplainedStep explained : model.explained()) {
        out.append('\n')
            .append(number++)
            .append(". ")
            .append(explained.step().description())
            .append('\n');
        if (explained.logicalPlan().isPresent()) {
          out.append(explained.logicalPlan().get().stripTrailing()).append('\n');
        } else {
          out.append("(").append(kind(explained.step())).append(", no logical plan)\n");
        }
      }
    }
    return out.toString();
  }

  /** Every step as SQL ending with {@code ;}, or as a comment for a source load. */
  static String sql(List<PlannedModel> models) {
    StringBuilder out = new StringBuilder();
    for (PlannedModel model : models) {
      out.append("-- model ").append(model.plan().model()).append('\n');
      for (Step step : model.plan().steps()) {
        out.append("\n-- ").append(step.description()).append('\n');
        if (step instanceof Step.LoadSource load) {
          out.append("-- ").append(load.summary()).append('\n');
        } else if (step instanceof Step.Statement statement) {
          statement.metric().ifPresent(m -> out.append("-- counts ").append(m).append('\n'));
          statement.comments().forEach(line -> out.append(line).append('\n'));
          out.append(statement.sql().stripTrailing()).append(";\n");
        } else if (step instanceof Step.Materialize materialize) {
          out.append(materialize.sql().stripTrailing()).append(";\n");
        } else if (step instanceof Step.DeleteRows delete) {
          out.append(delete.sql().stripTrailing()).append(";\n");
        } else if (step instanceof Step.Measure measure) {
          out.append("-- measures ")
              .append(String.join(", ", measure.metrics().stream().map(Metric::name).toList()))
              .append('\n');
          out.append(measure.sql().stripTrailing()).append(";\n");
        } else if (step instanceof Step.Expect expect) {
          out.append("-- expects 0, else fails: ").append(expect.failureMessage()).append('\n');
          out.append(expect.sql().stripTrailing()).append(";\n");
        } else {
          throw new IllegalStateException("Unknown step type: " + step.getClass().getName());
        }
      }
    }
    return out.toString();
  }

  private static String kind(Step step) {
    if (step instanceof Step.LoadSource load) {
      return load.summary();
    }
    return step instanceof Step.Statement
            || step instanceof Step.Materialize
            || step instanceof Step.DeleteRows
        ? "statement written by Conform"
        : "query";
  }
}
