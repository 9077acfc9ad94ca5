package dev.conform.cdc;

import dev.conform.dsl.CdcSpec;
import dev.conform.spi.Column;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postgresql.PGConnection;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.postgresql.replication.ReplicationSlotInfo;

/**
 * {@code cdc: { strategy: log }} on a PostgreSQL table: reads the table's changes by logical
 * decoding, through a replication slot and the built-in {@code pgoutput} plugin (protocol 1) with a
 * publication of the table.
 *
 * <p>The first run (and {@code --full-refresh}) creates the publication when missing, creates the
 * slot anew, and reads the whole table as {@code insert} rows in the snapshot the slot's creation
 * exports, so that the snapshot and the changes decoded after the slot's consistent point neither
 * miss nor repeat a change. Its rows take the consistent point as their position and the server's
 * time just before the slot was created as their time, which is no later than the commit time of
 * any change decoded after it.
 *
 * <p>Later runs read the slot from the stored LSN until they reach the WAL position the server had
 * when the run started, and write one row per insert, update and delete; {@code _cdc_at} is the
 * transaction's commit time (UTC, microseconds), and {@code _cdc_position} is described at {@link
 * SlotReader#position}. The state is the LSN up to which every change was read, with what it was
 * read from (slot, table and connection), so a source pointed elsewhere starts over.
 *
 * <p>The slot moves only in {@link #committed}, once the run and its state have committed, so a
 * failed or killed run reads the same changes again. A run that read no change of the table
 * acknowledges at once: there is nothing to lose, and an idle table on a busy server would
 * otherwise keep the slot holding the server's WAL.
 *
 * <p>An update that leaves a large (TOASTed) value unchanged does not send it again; the capture
 * takes it from the old row, which only REPLICA IDENTITY FULL logs, and otherwise fails saying so,
 * rather than write a wrong value.
 */
final class LogicalDecodingCapture implements ChangeCapture {
  /** How long the replication stream may stay silent before a run gives up. */
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

  /** How often the driver tells the server where the stream is (it never confirms anything). */
  private static final int STATUS_SECONDS = 1;

  private final SourceRequest request;
  private final List<String> key;
  private final String slot;
  private final String publication;

  LogicalDecodingCapture(
      SourceRequest request, List<String> key, Optional<CdcSpec> cdc, String slotPrefix) {
    this.request = request;
    this.key = List.copyOf(key);
    this.slot = cdc.flatMap(c -> c.setting("slot")).map(CdcSpec.Setting::value).orElse(slotPrefix);
    this.publication =
        cdc.flatMap(c -> c.setting("publication")).map(CdcSpec.Setting::value).orElse(slotPrefix);
  }

  @Override
  public List<Column> describe() {
    try (ReplicationSource source = ReplicationSource.open(request, slot, publication)) {
      SourceTable table = SourceTable.resolve(source.connection(), request);
      key.forEach(k -> table.column(k, "its key"));
      return table.columns();
    } catch (SQLException e) {
      throw new ExtractFailure(
          "Cannot read "
              + request.describe()
              + ": cannot describe the table: "
              + ReplicationSource.message(e),
          e);
    }
  }

  @Override
  public Capture capture(CaptureRequest capture) {
    String origin = origin();
    String stored = capture.state().get(lsnKey());
    boolean first =
        capture.fullRefresh() || stored == null || !origin.equals(capture.state().get(originKey()));
    try (ReplicationSource source = ReplicationSource.open(request, slot, publication)) {
      Capture captured =
          first
              ? snapshot(source, capture)
              : stream(source, capture, LogSequenceNumber.valueOf(stored).asLong());
      return captured;
    } catch (SQLException e) {
      deleteQuietly(capture.landing());
      throw failure(e);
    } catch (IOException e) {
      deleteQuietly(capture.landing());
      throw new ExtractFailure(
          "Cannot read "
              + request.describe()
              + ": cannot write the landing file "
              + capture.landing()
              + ": "
              + e.getMessage()
              + "; nothing was loaded",
          e);
    } catch (RuntimeException e) {
      deleteQuietly(capture.landing());
      throw e;
    }
  }

  /** The first run: a new slot, and the whole table in the snapshot its creation exported. */
  private Capture snapshot(ReplicationSource source, CaptureRequest capture)
      throws SQLException, IOException {
    SourceTable resolved = SourceTable.resolve(source.connection(), request);
    ReplicationSource.Table table = source.table(resolved);
    Optional<String> published = source.preparePublication(table);
    source.dropSlot();
    String at = source.nowUtc();
    long rows;
    long consistentPoint;
    try (Connection replication = source.replicationConnection()) {
      ReplicationSlotInfo info;
      try {
        info =
            replication
                .unwrap(PGConnection.class)
                .getReplicationAPI()
                .createReplicationSlot()
                .logical()
                .withSlotName(slot)
                .withOutputPlugin("pgoutput")
                .make();
      } catch (SQLException e) {
        throw createFailure(source, e);
      }
      consistentPoint = info.getConsistentPoint().asLong();
      // The exported snapshot lives while the replication connection stays idle.
      try (Connection reader = SourceTable.connect(request);
          ChangeRowWriter out =
              new ChangeRowWriter(resolved.columns(), capture.landing(), capture.progress())) {
        try (Statement statement = reader.createStatement()) {
          statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
          statement.execute("SET TRANSACTION SNAPSHOT '" + info.getSnapshotName() + "'");
        }
        SourceTable inSnapshot = SourceTable.resolve(reader, request);
        List<SourceColumn> loaded = inSnapshot.loadedColumns();
        List<String> select = new ArrayList<>();
        loaded.forEach(c -> select.add(inSnapshot.quote(c.name())));
        try (Statement statement = reader.createStatement()) {
          statement.setFetchSize(TableExtractor.FETCH_SIZE);
          try (ResultSet result =
              statement.executeQuery(
                  "SELECT " + String.join(", ", select) + " FROM " + inSnapshot.qualifiedName())) {
            List<String> values = new ArrayList<>(loaded.size());
            while (result.next()) {
              values.clear();
              for (int i = 0; i < loaded.size(); i++) {
                values.add(loaded.get(i).text(result, i + 1));
              }
              out.write(values, CdcSpec.INSERT, at, SlotReader.position(consistentPoint, 0));
            }
          }
        }
        reader.commit();
        rows = out.rows();
      }
    }
    if (rows == 0 && !capture.fullRefresh()) {
      // No run follows, so no state: the next run starts over, and no slot holds WAL till then.
      source.dropSlot();
    }
    String lsn = LogSequenceNumber.valueOf(consistentPoint).asString();
    return new Capture(
        new Extracted(resolved.columns(), rows, Optional.empty(), capture.landing()),
        "from table "
            + request.table()
            + " (all, as of LSN "
            + lsn
            + " of new replication slot "
            + slot
            + published.map(p -> "; " + p).orElse("")
            + ")",
        state(lsn));
  }

  /** A later run: the slot's changes from {@code from} until the WAL position of now. */
  private Capture stream(ReplicationSource source, CaptureRequest capture, long from)
      throws SQLException, IOException {
    SourceTable resolved = SourceTable.resolve(source.connection(), request);
    ReplicationSource.Table table = source.table(resolved);
    source.requirePublication(table);
    ReplicationSource.SlotStatus status = source.idleSlot();
    long target = source.currentWal();
    long start = Math.max(from, status.confirmedFlush());
    long reached = start;
    long rows;
    try (ChangeRowWriter out =
        new ChangeRowWriter(resolved.columns(), capture.landing(), capture.progress())) {
      if (start < target) {
        List<String> keyColumns =
            key.isEmpty()
                ? table.primaryKey()
                : key.stream().map(k -> resolved.column(k, "its key").name()).toList();
        SlotReader reader =
            new SlotReader(source, table, resolved.loadedColumns(), keyColumns, out);
        try (Connection replication = source.replicationConnection();
            PGReplicationStream stream =
                replication
                    .unwrap(PGConnection.class)
                    .getReplicationAPI()
                    .replicationStream()
                    .logical()
                    .withSlotName(slot)
                    .withStartPosition(LogSequenceNumber.valueOf(from))
                    .withSlotOption("proto_version", "1")
                    .withSlotOption("publication_names", ReplicationSource.quote(publication))
                    .withStatusInterval(STATUS_SECONDS, java.util.concurrent.TimeUnit.SECONDS)
                    .withAutomaticFlush(false)
                    .start()) {
          reached = reader.read(stream, target, IDLE_TIMEOUT);
        } catch (SQLException e) {
          throw streamFailure(source, e);
        }
      }
      rows = out.rows();
    }
    if (rows == 0 && reached > status.confirmedFlush()) {
      // Nothing of the table was read, so nothing can be lost by confirming it now.
      source.advanceSlot(reached);
    }
    String lsn = LogSequenceNumber.valueOf(reached).asString();
    return new Capture(
        new Extracted(resolved.columns(), rows, Optional.empty(), capture.landing()),
        "from replication slot "
            + slot
            + " past LSN "
            + LogSequenceNumber.valueOf(from).asString()
            + " up to "
            + lsn,
        state(lsn));
  }

  @Override
  public void committed(Map<String, String> state) {
    String lsn = state.get(lsnKey());
    if (lsn == null) {
      return;
    }
    try (ReplicationSource source = ReplicationSource.open(request, slot, publication)) {
      source.advanceSlot(LogSequenceNumber.valueOf(lsn).asLong());
    } catch (SQLException e) {
      throw new ExtractFailure(
          "Cannot confirm replication slot "
              + slot
              + " of "
              + request.describe()
              + " up to "
              + lsn
              + ": "
              + ReplicationSource.message(e)
              + "; the next run confirms it, and the slot keeps the server's WAL till then",
          e);
    }
  }

  private Map<String, String> state(String lsn) {
    Map<String, String> state = new LinkedHashMap<>();
    state.put(originKey(), origin());
    state.put(lsnKey(), lsn);
    return state;
  }

  private ExtractFailure createFailure(ReplicationSource source, SQLException e) {
    if ("53400".equals(e.getSQLState())) {
      return source.failure(
          "cannot create replication slot "
              + slot
              + ": "
              + ReplicationSource.message(e)
              + "; raise max_replication_slots in postgresql.conf and restart the server, or drop"
              + " slots no longer used (SELECT pg_drop_replication_slot(slot_name) FROM"
              + " pg_replication_slots WHERE NOT active AND slot_name = '...')",
          e);
    }
    return source.failure("cannot create replication slot " + slot, "", e);
  }

  private ExtractFailure streamFailure(ReplicationSource source, SQLException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("has already been removed")
        || message.contains("can no longer get changes")
        || message.contains("invalidated")) {
      return source.lost("lost the WAL it needs (" + ReplicationSource.message(e) + ")", e);
    }
    String state = String.valueOf(e.getSQLState());
    return source.failure(
        "reading replication slot " + slot + " failed",
        state.startsWith("08") ? "; check that the server is running, and run again" : "",
        e);
  }

  private ExtractFailure failure(SQLException e) {
    String state = String.valueOf(e.getSQLState());
    return new ExtractFailure(
        "Cannot read "
            + request.describe()
            + ": "
            + ReplicationSource.message(e)
            + (state.startsWith("08") ? "; check that the server is running, and run again" : "")
            + "; nothing was loaded and its position did not move",
        e);
  }

  /** What the stored LSN was read from: the slot, the table and the connection. */
  private String origin() {
    return "slot " + slot + " of table " + request.table() + " through " + request.connection();
  }

  private String originKey() {
    return "log origin:" + request.source();
  }

  private String lsnKey() {
    return "log lsn:" + request.source();
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // The next capture replaces it.
    }
  }
}
