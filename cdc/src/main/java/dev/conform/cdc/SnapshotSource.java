package dev.conform.cdc;

import dev.conform.spi.Column;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.function.LongConsumer;

/** Where a snapshot_diff capture's full snapshots come from: a table, or the files not yet read. */
interface SnapshotSource {
  /**
   * The source's own columns as the landing file carries them.
   *
   * @throws ExtractFailure when the source cannot be read or does not fit its spec
   */
  List<Column> describe();

  /** What the snapshots are read from, so that a source pointed elsewhere starts over. */
  String origin();

  /** The full snapshots to compare this run, oldest first (none: no new file). */
  List<Snapshot> snapshots();

  /** What the snapshots were read from, in words for the run's log: "table balances". */
  String from(List<Snapshot> snapshots);

  /** The source in messages: "source 'x' (table 't' through connection ...)". */
  String describeSource();

  /**
   * True when the snapshots' times come from the source's files, so each must be later than the one
   * before it; a table's are the times of its extractions.
   */
  default boolean dated() {
    return false;
  }

  /**
   * True when a run after one that did not commit takes a new snapshot rather than the same ones
   * again (a table is read anew, files are compared again as they were), so the snapshots of runs
   * that did not commit are kept until a run commits: the warehouse may hold any of them.
   */
  default boolean retakes() {
    return false;
  }

  /** One full snapshot of the source. */
  interface Snapshot {
    /** The snapshot in messages: the source, and the file when it is one. */
    String describe();

    /** When it was taken: the {@code _cdc_at} of its changes (see {@link SnapshotTime}). */
    LocalDateTime at();

    /** True for a file an earlier committed run loaded, which has changed since. */
    default boolean reloaded() {
      return false;
    }

    /**
     * Writes every row of the snapshot into the store's staging table, each of {@code columns} as
     * text (NULL as NULL), without holding the rows in memory; tells {@code progress} the running
     * row count now and then.
     *
     * @throws ExtractFailure naming the snapshot when it cannot be read
     */
    void stage(SnapshotStore store, List<Column> columns, LongConsumer progress)
        throws SQLException;
  }
}
