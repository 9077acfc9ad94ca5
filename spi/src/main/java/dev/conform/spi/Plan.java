package dev.conform.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Everything one run does, rendered for one dialect. A runtime executes a plan atomically: either
 * every model's steps take effect, or none do.
 */
public record Plan(SqlDialect dialect, List<ModelPlan> models) {
  public Plan {
    requireNonNull(dialect, "dialect is null");
    models = List.copyOf(models);
  }
}
