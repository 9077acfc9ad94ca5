package dev.conform.cdc;

import dev.conform.spi.Column;
import java.util.List;
import java.util.Map;

/**
 * One source's change capture: reads what changed since the state its model's last committed run
 * stored, writes it to a landing file for the loaders, and gives the state to store when this run
 * commits. A capture moves nothing at the source before {@link #committed}: a failed or killed run
 * reads the same changes again, and the applier absorbs the repeats.
 */
public interface ChangeCapture {
  /**
   * The source's own columns as the landing file carries them (declared, or read from the source);
   * without the change columns a strategy that sees operations adds after them.
   *
   * @throws ExtractFailure when the source cannot be reached or does not fit the capture
   */
  List<Column> describe();

  /**
   * Writes the changes since {@code request.state()} (everything on a full refresh or a first run)
   * to {@code request.landing()}, replacing it; deletes it and moves nothing when it fails.
   *
   * @throws ExtractFailure naming the source and what to do
   */
  Capture capture(CaptureRequest request);

  /**
   * Called once the run and {@code state} (what {@link #capture} returned) are committed: frees
   * what the source or the capture's own store kept for older states (acknowledges a replication
   * slot, purges processed log rows, drops older snapshot hashes). A failure here loses nothing,
   * since the stored state already says where the next run starts.
   *
   * @throws ExtractFailure when the clean-up failed; the caller reports it as a warning
   */
  default void committed(Map<String, String> state) {}

  /**
   * What a capture read ({@code extracted}), what from in words for the run's log ({@code from},
   * such as "from table customers past updated_at 2024-03-01 10:00:00"), and the state to store
   * when the run commits; see {@link ChangeCapture}.
   */
  record Capture(Extracted extracted, String from, Map<String, String> state) {
    public Capture {
      java.util.Objects.requireNonNull(extracted, "extracted is null");
      java.util.Objects.requireNonNull(from, "from is null");
      state = Map.copyOf(state);
    }
  }
}
