package dev.conform.catalog;

import static java.util.Objects.requireNonNull;

import dev.conform.spi.Metric;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * One model of one run: its place in the run's model order, its time and its counts.
 *
 * @param position 0-based place of the model in the list given when the run started
 * @param elapsed the model's time; empty until the run succeeded
 * @param counts the counts the run reported, in {@link Metric} order; empty until the run succeeded
 */
public record ModelRunRecord(
    long runId, int position, String model, Optional<Duration> elapsed, Map<Metric, Long> counts) {
  public ModelRunRecord {
    requireNonNull(model, "model is null");
    requireNonNull(elapsed, "elapsed is null");
    EnumMap<Metric, Long> copy = new EnumMap<>(Metric.class);
    copy.putAll(requireNonNull(counts, "counts is null"));
    counts = Collections.unmodifiableMap(copy);
  }

  /** The count for {@code metric}, zero when the run did not report it. */
  public long count(Metric metric) {
    return counts.getOrDefault(metric, 0L);
  }
}
