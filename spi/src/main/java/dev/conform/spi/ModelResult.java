package dev.conform.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** The counts and the time one model's steps took in a run. */
public record ModelResult(String model, Map<Metric, Long> counts, Duration elapsed) {
  public ModelResult {
    requireNonNull(model, "model is null");
    EnumMap<Metric, Long> copy = new EnumMap<>(Metric.class);
    copy.putAll(counts);
    counts = Collections.unmodifiableMap(copy);
    requireNonNull(elapsed, "elapsed is null");
  }

  /** The count for {@code metric}, zero when the plan did not measure it. */
  public long count(Metric metric) {
    return counts.getOrDefault(metric, 0L);
  }
}
