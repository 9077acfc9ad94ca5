package dev.conform.cdc;

import dev.conform.dsl.CdcSpec;
import dev.conform.dsl.Named;
import dev.conform.dsl.SourceSpec;
import dev.conform.spi.Column;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code cdc: { strategy: snapshot_diff }}: each run of a table, or each new file, is a full
 * snapshot of the source, compared by the source's key and a hash of its other columns with the
 * snapshot before it. Keys new in the snapshot are inserts, keys whose hash changed updates (with
 * the new values), keys gone deletes (with only the key's values). Each change carries the
 * snapshot's number as {@code _cdc_position} and its time as {@code _cdc_at} (see {@link
 * SnapshotTime}).
 *
 * <p>Only keys and hashes are kept, in the capture's {@link SnapshotStore}. The state names the
 * snapshot they belong to ({@code snapshot:<source>}), its generation (a full refresh or a source
 * pointed elsewhere starts a new one, numbered from 1 again), what it was read from and, for files,
 * its time ({@code snapshot at:<source>}). Files must come in order: a new file dated at or before
 * the stored snapshot, or a file loaded before that has changed since, fails the capture. A capture
 * writes its snapshots next to the stored one and {@link #committed} drops every other, so that a
 * run that fails anywhere leaves the stored snapshot as it was and the next run finds the same
 * changes again.
 *
 * <p>A run of a file source that did not commit is followed by one that compares the same files
 * again, and finds the same changes. A table is read anew, though, and a run may have died (or
 * failed to write the catalog) after the warehouse committed its changes: the warehouse may then
 * hold that run's snapshot rather than the stored one, and a key changed in it and changed back
 * since would differ from the table for good. So a table's snapshots of runs that did not commit
 * stay until a run commits, the next snapshot is numbered after them, and the keys that changed
 * anywhere between the stored snapshot, those and the new one are loaded again as they are now (see
 * {@link #restate}), which is right whichever of the snapshots the warehouse holds.
 */
public final class SnapshotDiffCapture implements ChangeCapture {
  /** How many duplicated keys a failure names. */
  static final int DUPLICATES_SHOWN = 5;

  private final SourceSpec source;
  private final SnapshotSource snapshots;
  private final Path store;

  private SnapshotDiffCapture(SourceSpec source, SnapshotSource snapshots, Path store) {
    this.source = source;
    this.snapshots = snapshots;
    this.store = store;
  }

  /** The capture of a table source: the whole table, read each run, is one snapshot. */
  static SnapshotDiffCapture ofTable(SourceSpec source, SourceRequest request, Path store) {
    return new SnapshotDiffCapture(source, new TableSnapshots(request), store);
  }

  /**
   * The capture of a source of files: each of {@code files}, in order, is one snapshot; {@code
   * reloaded} are those an earlier run loaded, which have changed since.
   */
  static SnapshotDiffCapture ofFiles(
      SourceSpec source, List<Path> files, Set<Path> reloaded, Path store) {
    return new SnapshotDiffCapture(source, new FileSnapshots(source, files, reloaded), store);
  }

  @Override
  public List<Column> describe() {
    List<Column> columns = snapshots.describe();
    keys(columns);
    return columns;
  }

  @Override
  public Capture capture(CaptureRequest request) {
    Path landing = request.landing();
    try {
      List<Column> columns = describe();
      int[] keys = keys(columns);
      String origin = snapshots.origin();
      Map<String, String> state = request.state();
      boolean continues = !request.fullRefresh() && origin.equals(state.get(originKey()));
      long generation =
          continues
              ? number(state, generationKey())
              : (state.containsKey(generationKey()) ? number(state, generationKey()) : 0) + 1;
      long number = continues ? number(state, numberKey()) : 0;
      long against = number;
      List<SnapshotSource.Snapshot> taken = snapshots.snapshots();
      Optional<String> storedAt =
          continues ? Optional.ofNullable(state.get(atKey())) : Optional.empty();
      if (snapshots.dated()) {
        requireInOrder(taken, storedAt, number);
      }
      SnapshotStore.Counts counts;
      List<Long> unconfirmed = List.of();
      long restated = 0;
      try (SnapshotStore kept = SnapshotStore.open(store, snapshots.describeSource())) {
        try {
          Optional<String> previous =
              number == 0 ? Optional.empty() : Optional.of(SnapshotStore.table(generation, number));
          if (previous.isPresent() && !kept.exists(previous.get())) {
            throw new ExtractFailure(
                "Cannot capture "
                    + snapshots.describeSource()
                    + ": its snapshot store "
                    + kept.file()
                    + " has lost snapshot "
                    + number
                    + ", which the last committed run compared against; rebuild the models that"
                    + " read it with conform run --full-refresh",
                null);
          }
          if (!continues) {
            kept.dropGeneration(generation);
          }
          // A table read again after a run that did not commit: that run's snapshots (and the
          // changes it landed) may or may not be in the warehouse.
          unconfirmed =
              continues && number > 0 && snapshots.retakes()
                  ? kept.after(generation, number)
                  : List.of();
          if (!unconfirmed.isEmpty()) {
            number = unconfirmed.get(unconfirmed.size() - 1);
          }
          kept.createChanges(columns.size());
          Optional<SnapshotStore.Counts> compared = Optional.empty();
          for (SnapshotSource.Snapshot snapshot : taken) {
            number++;
            snapshot.stage(kept, columns, request.progress());
            requireUniqueKeys(kept, keys, columns, snapshot);
            String table = SnapshotStore.table(generation, number);
            kept.keep(table, keys, columns.size());
            String at = SnapshotTime.format(snapshot.at());
            kept.compare(previous, table, keys, columns.size(), at, number);
            if (!unconfirmed.isEmpty()) {
              compared = Optional.of(kept.counts());
              restated =
                  restate(kept, generation, against, unconfirmed, table, keys, columns, at, number);
            }
            kept.drop(SnapshotStore.STAGED);
            previous = Optional.of(table);
          }
          counts = compared.isPresent() ? compared.get() : kept.counts();
          if (continues && snapshots.retakes() && counts.total() + restated == 0) {
            // Nothing to load, so no state is stored: what this run and the unconfirmed ones
            // took is the stored snapshot again, and need not be kept.
            for (long left : kept.after(generation, against)) {
              kept.drop(SnapshotStore.table(generation, left));
            }
            number = against;
          }
          Files.createDirectories(landing.toAbsolutePath().getParent());
          kept.writeLanding(
              landing,
              columns.stream().map(Column::name).toList(),
              CdcSpec.CHANGE_COLUMNS.stream().map(Column::name).toList());
          kept.dropWork();
        } catch (SQLException e) {
          throw new ExtractFailure(
              "Cannot capture "
                  + snapshots.describeSource()
                  + ": its snapshot store "
                  + kept.file()
                  + " failed: "
                  + SnapshotStore.message(e)
                  + "; nothing was loaded and its snapshot did not move",
              e);
        }
      }
      Map<String, String> next = new LinkedHashMap<>();
      next.put(numberKey(), Long.toString(number));
      next.put(generationKey(), Long.toString(generation));
      next.put(originKey(), origin);
      Optional<String> lastAt =
          taken.isEmpty()
              ? storedAt
              : Optional.of(SnapshotTime.format(taken.get(taken.size() - 1).at()));
      if (snapshots.dated()) {
        lastAt.ifPresent(at -> next.put(atKey(), at));
      }
      String from =
          "from "
              + snapshots.from(taken)
              + ": "
              + counts.inserted()
              + " inserted, "
              + counts.updated()
              + " updated, "
              + counts.deleted()
              + " deleted against "
              + (against == 0 ? "no earlier snapshot" : "snapshot " + against)
              + (unconfirmed.isEmpty()
                  ? ""
                  : ", and "
                      + restated
                      + " key(s) as they are now that changed in "
                      + (unconfirmed.size() == 1
                          ? "snapshot " + unconfirmed.get(0) + " of a run"
                          : "snapshots "
                              + unconfirmed.get(0)
                              + " to "
                              + unconfirmed.get(unconfirmed.size() - 1)
                              + " of runs")
                      + " that did not commit");
      return new Capture(
          new Extracted(columns, counts.total() + restated, Optional.empty(), landing), from, next);
    } catch (IOException e) {
      throw Landing.unwritable("Cannot capture " + snapshots.describeSource(), landing, e);
    } catch (RuntimeException e) {
      throw Landing.discard(landing, e);
    }
  }

  /**
   * Adds to the changes the keys that changed anywhere between the stored snapshot {@code against}
   * and the snapshots {@code unconfirmed} of runs that did not commit, and on to the snapshot just
   * taken ({@code current}), as they are now, unless the comparison with the stored snapshot gave
   * them already: the warehouse may hold any of those snapshots (a run killed, or whose catalog
   * write failed, after the warehouse committed), and a key's state now is right from each. Keys
   * are restated with the values they have now (an update) or as deletes, at {@code at} and {@code
   * position}, after every snapshot the warehouse may hold. Returns how many.
   */
  private static long restate(
      SnapshotStore kept,
      long generation,
      long against,
      List<Long> unconfirmed,
      String current,
      int[] keys,
      List<Column> columns,
      String at,
      long position)
      throws SQLException {
    kept.createTouched(keys.length);
    String older = SnapshotStore.table(generation, against);
    for (long number : unconfirmed) {
      String newer = SnapshotStore.table(generation, number);
      kept.touch(older, newer, keys.length);
      older = newer;
    }
    kept.touch(older, current, keys.length);
    return kept.restate(current, keys, columns.size(), at, position);
  }

  /** Drops every snapshot but the one {@code state} names, and what a failed capture left. */
  @Override
  public void committed(Map<String, String> state) {
    if (!state.containsKey(numberKey()) || !state.containsKey(generationKey())) {
      return;
    }
    long number = number(state, numberKey());
    Optional<String> kept =
        number == 0
            ? Optional.empty()
            : Optional.of(SnapshotStore.table(number(state, generationKey()), number));
    try (SnapshotStore opened = SnapshotStore.open(store, snapshots.describeSource())) {
      try {
        opened.keepOnly(kept);
      } catch (SQLException e) {
        throw new ExtractFailure(
            "Cannot drop the older snapshots of "
                + snapshots.describeSource()
                + " from "
                + opened.file()
                + ": "
                + SnapshotStore.message(e)
                + "; the next run drops them",
            e);
      }
    }
  }

  /**
   * Fails unless each snapshot is new and later than the one it would be compared with: the stored
   * one (of {@code storedAt}, number {@code number}), then each before it in this run. A file
   * loaded before and changed since, or a late file, would otherwise become the baseline of every
   * later comparison, and the changes it gave would go back in time.
   */
  private void requireInOrder(
      List<SnapshotSource.Snapshot> taken, Optional<String> storedAt, long number) {
    Optional<LocalDateTime> before = storedAt.map(this::storedTime);
    String beforeName = "the stored snapshot " + number;
    for (SnapshotSource.Snapshot snapshot : taken) {
      if (snapshot.reloaded()) {
        throw new ExtractFailure(
            "Cannot capture "
                + snapshot.describe()
                + ": an earlier run loaded this file, and it has changed since (copied again or"
                + " touched); the snapshots after it have been compared with it"
                + before
                    .map(at -> " (the stored snapshot " + number + " is of " + show(at) + ")")
                    .orElse("")
                + ", so "
                + REBUILD,
            null);
      }
      LocalDateTime at = snapshot.at();
      if (before.isPresent() && !at.isAfter(before.get())) {
        throw new ExtractFailure(
            "Cannot capture "
                + snapshot.describe()
                + ": it is dated "
                + show(at)
                + ", not after "
                + beforeName
                + " of "
                + show(before.get())
                + " that it would be compared with; a late or re-dated file would become the"
                + " baseline of every later comparison, so "
                + REBUILD,
            null);
      }
      before = Optional.of(at);
      beforeName = "the file before it";
    }
  }

  private static final String REBUILD =
      "put the files in order (each dated after the one before it, by the date in its name or"
          + " else its last-modified time) and rebuild the models that read it with conform run"
          + " --full-refresh MODEL; nothing was loaded and its snapshot did not move";

  private LocalDateTime storedTime(String text) {
    try {
      return LocalDateTime.parse(text, ChangeRowWriter.AT);
    } catch (java.time.format.DateTimeParseException e) {
      throw new ExtractFailure(
          "Cannot capture "
              + snapshots.describeSource()
              + ": its stored state "
              + atKey()
              + " = '"
              + text
              + "' is not a snapshot time; rebuild the models that read it with conform run"
              + " --full-refresh",
          e);
    }
  }

  private static String show(LocalDateTime at) {
    return SnapshotTime.format(at);
  }

  /** The indexes of the source's key columns among {@code columns}, matched regardless of case. */
  private int[] keys(List<Column> columns) {
    if (source.key().isEmpty()) {
      throw new ExtractFailure(
          "Cannot capture "
              + snapshots.describeSource()
              + ": cdc snapshot_diff compares snapshots by key, and the source has none; add key:"
              + " [<column>, ...] to the source",
          null);
    }
    int[] keys = new int[source.key().size()];
    for (int k = 0; k < keys.length; k++) {
      Named key = source.key().get(k);
      int found = -1;
      for (int i = 0; i < columns.size() && found < 0; i++) {
        if (columns.get(i).name().equals(key.name())) {
          found = i;
        }
      }
      for (int i = 0; i < columns.size() && found < 0; i++) {
        if (columns.get(i).name().equalsIgnoreCase(key.name())) {
          found = i;
        }
      }
      if (found < 0) {
        throw new ExtractFailure(
            "Cannot capture "
                + snapshots.describeSource()
                + ": its key column '"
                + key.name()
                + "' is not one of its columns "
                + columns.stream().map(Column::name).collect(Collectors.joining(", ")),
            null);
      }
      keys[k] = found;
    }
    return keys;
  }

  /** Fails when the staged snapshot holds a key more than once, naming the first few. */
  private void requireUniqueKeys(
      SnapshotStore kept, int[] keys, List<Column> columns, SnapshotSource.Snapshot snapshot)
      throws SQLException {
    SnapshotStore.Duplicates duplicates = kept.duplicates(keys, DUPLICATES_SHOWN);
    if (duplicates.count() == 0) {
      return;
    }
    List<String> examples = new ArrayList<>();
    for (List<String> values : duplicates.examples()) {
      List<String> pairs = new ArrayList<>();
      for (int i = 0; i < keys.length; i++) {
        String value = values.get(i);
        pairs.add(columns.get(keys[i]).name() + "=" + (value == null ? "NULL" : value));
      }
      examples.add("(" + String.join(", ", pairs) + ")");
    }
    kept.dropWork();
    throw new ExtractFailure(
        "Cannot capture "
            + snapshot.describe()
            + ": "
            + duplicates.count()
            + " key(s) appear in more than one row of this full snapshot: "
            + String.join(", ", examples)
            + (duplicates.count() > examples.size() ? ", ..." : "")
            + "; a snapshot must hold one row per key, so fix the source or give it the key"
            + " that identifies its rows; nothing was loaded and its snapshot did not move",
        null);
  }

  private long number(Map<String, String> state, String key) {
    String text = state.get(key);
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new ExtractFailure(
          "Cannot capture "
              + snapshots.describeSource()
              + ": its stored state "
              + key
              + " = '"
              + text
              + "' is not a snapshot number; rebuild the models that read it with conform run"
              + " --full-refresh",
          e);
    }
  }

  private String numberKey() {
    return "snapshot:" + source.name().name();
  }

  private String generationKey() {
    return "snapshot generation:" + source.name().name();
  }

  private String atKey() {
    return "snapshot at:" + source.name().name();
  }

  private String originKey() {
    return "snapshot origin:" + source.name().name();
  }
}
