package dev.conform.planner;

import static java.util.Objects.requireNonNull;

import dev.conform.spi.ModelPlan;
import java.util.List;

/** A model's plan for the runtime, with the explanation of each step for {@code conform plan}. */
public record PlannedModel(ModelPlan plan, List<ExplainedStep> explained) {
  public PlannedModel {
    requireNonNull(plan, "plan is null");
    explained = List.copyOf(explained);
  }
}
