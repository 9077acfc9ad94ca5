package dev.conform.cdc;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * What a run asks of a capture: the state its model's last committed run stored (the capture's own
 * keys among the model's), whether to read everything again, where to land the rows, and whom to
 * tell the running row count now and then.
 */
public record CaptureRequest(
    Map<String, String> state, boolean fullRefresh, Path landing, LongConsumer progress) {
  public CaptureRequest {
    state = Map.copyOf(state);
    requireNonNull(landing, "landing is null");
    requireNonNull(progress, "progress is null");
  }
}
