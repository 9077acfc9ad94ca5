package dev.conform.cdc;

import dev.conform.dsl.CdcSpec;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;

/**
 * Reads a replication slot's pgoutput stream until it has caught up with a WAL position, and writes
 * one change row per insert, update and delete of the source's table (other tables' changes are
 * skipped). Each change gets its transaction's commit time and a position that orders changes by
 * commit, and within a transaction by their order in it; see {@link #position}.
 */
final class SlotReader {

  /** How often a silent stream asks the server how far its decoding got. */
  private static final long PROBE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final ReplicationSource source;
  private final String slot;
  private final ReplicationSource.Table table;
  private final List<SourceColumn> loaded;
  private final List<String> key;
  private final ChangeRowWriter out;

  /** Per loaded column, and per key column: its index among the relation's columns. */
  private int[] columnIndexes;

  private int[] keyIndexes;
  private boolean[] keyInIdentity;

  private boolean inTransaction;
  private long commitLsn;
  private String at;
  private long index;

  /**
   * {@code key} names the table's columns that identify a row (the spec's key, or else its primary
   * key; when empty, the replica identity's columns, or none with REPLICA IDENTITY FULL: then an
   * update is never split).
   */
  SlotReader(
      ReplicationSource source,
      String slot,
      ReplicationSource.Table table,
      List<SourceColumn> loaded,
      List<String> key,
      ChangeRowWriter out) {
    this.source = source;
    this.slot = slot;
    this.table = table;
    this.loaded = List.copyOf(loaded);
    this.key = List.copyOf(key);
    this.out = out;
  }

  /**
   * The position of a change: the transaction's commit LSN times 2^32, plus the change's place in
   * the transaction, counted from 1. Transactions reach a slot in commit order, so this orders
   * every change of the table by commit and then by its order within its transaction, and a change
   * read twice gets the same position. The initial snapshot's rows get the slot's consistent point
   * times 2^32, below every change decoded after it.
   */
  static BigInteger position(long lsn, long indexInTransaction) {
    return new BigInteger(Long.toUnsignedString(lsn))
        .shiftLeft(32)
        .add(BigInteger.valueOf(indexInTransaction));
  }

  /**
   * Reads until every transaction that committed before {@code target} is read: a commit ending at
   * or past it, or, outside a transaction, the server saying (in a keepalive) that it has decoded
   * past it. Fails when for {@code idle} neither a message moves the stream nor the server's
   * decoding moves on (its {@code sent_lsn}: a server working through other tables' changes, or one
   * large transaction, may send nothing for long). Returns the LSN up to which every change was
   * read.
   */
  long read(PGReplicationStream stream, long target, Duration idle)
      throws SQLException, IOException {
    long lastEnd = 0;
    long deadline = System.nanoTime() + idle.toNanos();
    long lastReceived = stream.getLastReceiveLSN().asLong();
    long probeAt = System.nanoTime() + PROBE_NANOS;
    Long lastSent = null;
    while (true) {
      ByteBuffer message = stream.readPending();
      if (message == null) {
        long received = stream.getLastReceiveLSN().asLong();
        if (!inTransaction && Long.compareUnsigned(received, target) >= 0) {
          return Math.max(received, lastEnd);
        }
        long now = System.nanoTime();
        if (received != lastReceived) {
          lastReceived = received;
          deadline = now + idle.toNanos();
        } else if (now > probeAt) {
          probeAt = now + PROBE_NANOS;
          Long sent = source.sentLsn(slot).orElse(null);
          if (sent != null && !sent.equals(lastSent)) {
            lastSent = sent;
            deadline = now + idle.toNanos();
          } else if (now > deadline) {
            throw source.failure(
                "the server's decoding of replication slot "
                    + slot
                    + " made no progress for "
                    + describe(idle)
                    + " (it stopped at "
                    + LogSequenceNumber.valueOf(sent == null ? received : sent).asString()
                    + ", short of the server's WAL position "
                    + LogSequenceNumber.valueOf(target).asString()
                    + "); check that the server is not overloaded, or give the cdc a longer"
                    + " timeout, and run again; nothing was loaded and its position did not move",
                null);
          }
        }
        try {
          TimeUnit.MILLISECONDS.sleep(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while reading a replication slot", e);
        }
        continue;
      }
      deadline = System.nanoTime() + idle.toNanos();
      PgOutput.Message decoded;
      try {
        decoded = PgOutput.parse(message);
        if (!(decoded instanceof PgOutput.Commit)) {
          handle(decoded);
        }
      } catch (ExtractFailure e) {
        throw e;
      } catch (RuntimeException e) {
        // A message cut short or not as protocol version 1 has it.
        throw source.failure(
            "replication slot "
                + slot
                + " sent a message that cannot be decoded (at "
                + LogSequenceNumber.valueOf(stream.getLastReceiveLSN().asLong()).asString()
                + ": "
                + Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName())
                + "); nothing was loaded and its position did not move",
            e);
      }
      if (decoded instanceof PgOutput.Commit commit) {
        inTransaction = false;
        lastEnd = commit.endLsn();
        if (Long.compareUnsigned(lastEnd, target) >= 0) {
          return lastEnd;
        }
      }
    }
  }

  private static String describe(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + " s"
        : duration.toMillis() + " ms";
  }

  private void handle(PgOutput.Message message) throws IOException {
    if (message instanceof PgOutput.Begin begin) {
      inTransaction = true;
      commitLsn = begin.finalLsn();
      at = formatAt(begin.commitTime());
      index = 0;
    } else if (message instanceof PgOutput.Relation relation) {
      if (relation.id() == table.oid()) {
        shape(relation);
      }
    } else if (message instanceof PgOutput.Insert insert) {
      if (insert.relation() == table.oid()) {
        write(CdcSpec.INSERT, insert.row(), null);
      }
    } else if (message instanceof PgOutput.Update update) {
      if (update.relation() == table.oid()) {
        update(update);
      }
    } else if (message instanceof PgOutput.Delete delete) {
      if (delete.relation() == table.oid()) {
        write(CdcSpec.DELETE, delete.old(), null);
      }
    } else if (message instanceof PgOutput.Truncate truncate) {
      if (truncate.relations().contains(table.oid())) {
        throw source.failure(
            "table "
                + table.qualified()
                + " was truncated (at "
                + LogSequenceNumber.valueOf(commitLsn).asString()
                + "), and a truncate does not say which rows it removed; rebuild the models that"
                + " read it with conform run --full-refresh MODEL",
            null);
      }
    }
  }

  /** An update; one that changes the key is a delete of the old key and an insert of the new. */
  private void update(PgOutput.Update update) throws IOException {
    PgOutput.Tuple old = update.old().orElse(null);
    if (old != null && keyChanged(old, update.oldKind(), update.row())) {
      write(CdcSpec.DELETE, old, null);
      write(CdcSpec.INSERT, update.row(), update.oldKind() == 'O' ? old : null);
    } else {
      write(CdcSpec.UPDATE, update.row(), update.oldKind() == 'O' ? old : null);
    }
  }

  private boolean keyChanged(PgOutput.Tuple old, char oldKind, PgOutput.Tuple row) {
    for (int k = 0; k < keyIndexes.length; k++) {
      // An old key tuple (K) carries only the replica identity's columns.
      if (oldKind == 'O' || keyInIdentity[k]) {
        int i = keyIndexes[k];
        if (!Objects.equals(old.values().get(i), row.values().get(i))) {
          return true;
        }
      }
    }
    return false;
  }

  private void write(String op, PgOutput.Tuple row, PgOutput.Tuple old) throws IOException {
    List<String> values = new ArrayList<>(loaded.size());
    for (int c = 0; c < loaded.size(); c++) {
      int i = columnIndexes[c];
      if (i < 0) {
        // Added to the table after this change.
        values.add(null);
        continue;
      }
      String value = row.values().get(i);
      if (row.unchanged(i)) {
        if (old == null || old.unchanged(i)) {
          throw source.failure(
              "an update of table "
                  + table.qualified()
                  + " (at "
                  + LogSequenceNumber.valueOf(commitLsn).asString()
                  + ") left out column '"
                  + loaded.get(c).name()
                  + "', a large (TOASTed) value it did not change, and the table's replica"
                  + " identity does not log the old row; run ALTER TABLE "
                  + table.qualified()
                  + " REPLICA IDENTITY FULL, then rebuild the models that read it with conform"
                  + " run --full-refresh MODEL",
              null);
        }
        value = old.values().get(i);
      }
      values.add(PgValueText.of(loaded.get(c), value));
    }
    out.write(values, op, at, position(commitLsn, ++index));
  }

  /** Finds the loaded and key columns among the relation's (sent again when the table changes). */
  private void shape(PgOutput.Relation relation) {
    List<String> names = relation.columns().stream().map(PgOutput.RelationColumn::name).toList();
    // Columns added since have higher attribute numbers than every column the relation has.
    int newest = names.stream().mapToInt(n -> table.attnums().getOrDefault(n, 0)).max().orElse(0);
    columnIndexes = new int[loaded.size()];
    for (int c = 0; c < loaded.size(); c++) {
      String name = loaded.get(c).name();
      columnIndexes[c] =
          !names.contains(name) && table.attnums().getOrDefault(name, 0) > newest
              ? -1
              : indexOf(names, name);
    }
    List<String> keyNames = key;
    if (keyNames.isEmpty() && relation.identity() != 'f') {
      keyNames =
          relation.columns().stream()
              .filter(PgOutput.RelationColumn::key)
              .map(PgOutput.RelationColumn::name)
              .toList();
    }
    keyIndexes = new int[keyNames.size()];
    keyInIdentity = new boolean[keyNames.size()];
    for (int k = 0; k < keyNames.size(); k++) {
      keyIndexes[k] = indexOf(names, keyNames.get(k));
      keyInIdentity[k] = relation.columns().get(keyIndexes[k]).key();
    }
  }

  private int indexOf(List<String> names, String column) {
    int i = names.indexOf(column);
    if (i < 0) {
      throw source.failure(
          "table "
              + table.qualified()
              + " no longer has column '"
              + column
              + "' (at "
              + LogSequenceNumber.valueOf(commitLsn).asString()
              + "); fix the source's columns in the spec, and rebuild the models that read it with"
              + " conform run --full-refresh MODEL",
          null);
    }
    return i;
  }

  /** A pgoutput commit time as {@code _cdc_at}. */
  static String formatAt(long postgresMicros) {
    long micros = PgOutput.at(postgresMicros);
    Instant instant =
        Instant.ofEpochSecond(
            Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    return ChangeRowWriter.AT.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
  }
}
