package dev.conform.spi;

import java.time.Duration;
import java.util.List;

/** What a committed run did, model by model, in plan order. */
public record RunResult(List<ModelResult> models, Duration elapsed) {
  public RunResult {
    models = List.copyOf(models);
  }
}
