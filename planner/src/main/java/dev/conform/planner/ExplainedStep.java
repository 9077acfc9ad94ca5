package dev.conform.planner;

import static java.util.Objects.requireNonNull;

import dev.conform.spi.Step;
import java.util.Optional;

/** A planned step with the Calcite logical plan of its query, for {@code conform plan}. */
public record ExplainedStep(Step step, Optional<String> logicalPlan) {
  public ExplainedStep {
    requireNonNull(step, "step is null");
    requireNonNull(logicalPlan, "logicalPlan is null");
  }
}
