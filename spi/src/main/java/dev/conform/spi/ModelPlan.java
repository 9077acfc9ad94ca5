package dev.conform.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** The steps that bring one model (a dimension or a fact) up to date, in execution order. */
public record ModelPlan(String model, List<Step> steps) {
  public ModelPlan {
    requireNonNull(model, "model is null");
    steps = List.copyOf(steps);
  }
}
