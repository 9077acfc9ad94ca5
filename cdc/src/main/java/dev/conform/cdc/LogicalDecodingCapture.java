package dev.conform.cdc;

import dev.conform.dsl.CdcSpec;
import dev.conform.spi.Column;
import java.io.IOException;
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
 * <p>The slot used carries a generation: the {@code slot} setting (or the source's prefix) plus
 * {@code _1} or {@code _2}, named in the state. A first run or {@code --full-refresh} creates the
 * generation the state does not name, and {@link #committed} drops the other, so that a refresh
 * that fails leaves the old slot and state as they were: the next run goes on from there.
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
  /**
   * How long the server's decoding may make no progress before a run gives up, unless the cdc's
   * {@code timeout} says otherwise.
   */
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

  /** How often the driver tells the server where the stream is (it never confirms anything). */
  private static final int STATUS_SECONDS = 1;

  private final SourceRequest request;
  private final List<String> key;
  private final String slot;
  private final String publication;
  private final Duration timeout;

  LogicalDecodingCapture(
      SourceRequest request, List<String> key, Optional<CdcSpec> cdc, String slotPrefix) {
    this.request = request;
    this.key = List.copyOf(key);
    this.slot = cdc.flatMap(c -> c.setting("slot")).map(CdcSpec.Setting::value).orElse(slotPrefix);
    this.publication =
        cdc.flatMap(c -> c.setting("publication")).map(CdcSpec.Setting::value).orElse(slotPrefix);
    this.timeout =
        cdc.flatMap(c -> c.setting("timeout"))
            .flatMap(t -> CdcSpec.timeout(t.value()))
            .orElse(IDLE_TIMEOUT);
  }

  /** The table as the capture reads it: without generated columns, which pgoutput never sends. */
  private record Resolved(SourceTable table, ReplicationSource.Table pg) {}

  /**
   * Resolves the table, leaves out its generated columns, and checks that the replica identity logs
   * the key, without which a delete would not say which row it removed.
   */
  private Resolved resolve(ReplicationSource source, Connection connection) throws SQLException {
    SourceTable all = SourceTable.resolve(connection, request);
    ReplicationSource.Table pg = source.table(all);
    SourceTable table = all.without(pg.generated());
    key.forEach(k -> table.column(k, "its key"));
    List<String> keyColumns = keyColumns(table, pg);
    if (pg.identity() != 'f'
        && (keyColumns.isEmpty() || !pg.identityColumns().containsAll(keyColumns))) {
      String identity =
          switch (pg.identity()) {
            case 'd' ->
                pg.primaryKey().isEmpty()
                    ? "DEFAULT, and the table has no primary key"
                    : "its primary key (" + String.join(", ", pg.primaryKey()) + ")";
            case 'i' -> "index (" + String.join(", ", pg.identityColumns()) + ")";
            default -> "NOTHING";
          };
      throw source.failure(
          "the replica identity of table "
              + pg.qualified()
              + " is "
              + identity
              + ", which does not log "
              + (keyColumns.isEmpty() ? "a key" : "the key (" + String.join(", ", keyColumns) + ")")
              + " of a deleted or updated row, so deletes and key changes would be lost; run"
              + " ALTER TABLE "
              + pg.qualified()
              + " REPLICA IDENTITY FULL, or make the source's key the table's primary key",
          null);
    }
    return new Resolved(table, pg);
  }

  /** The columns that identify a row: the spec's key, or else the primary key. */
  private List<String> keyColumns(SourceTable table, ReplicationSource.Table pg) {
    return key.isEmpty()
        ? pg.primaryKey()
        : key.stream().map(k -> table.column(k, "its key").name()).toList();
  }

  @Override
  public List<Column> describe() {
    try (ReplicationSource source = ReplicationSource.open(request, slot, publication)) {
      return resolve(source, source.connection()).table().columns();
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
    try (ReplicationSource source = ReplicationSource.open(request, slot, publication)) {
      Resolved resolved = resolve(source, source.connection());
      String origin = origin(resolved.pg().oid());
      String stored = capture.state().get(lsnKey());
      String used = capture.state().get(slotKey());
      boolean same =
          stored != null
              && generations().contains(used)
              && origin.equals(capture.state().get(originKey()));
      return capture.fullRefresh() || !same
          ? snapshot(source, resolved, capture, same ? used : null, origin)
          : stream(source, resolved, capture, used, LogSequenceNumber.valueOf(stored).asLong());
    } catch (SQLException e) {
      throw Landing.discard(capture.landing(), failure(e));
    } catch (IOException e) {
      throw Landing.unwritable("Cannot read " + request.describe(), capture.landing(), e);
    } catch (RuntimeException e) {
      throw Landing.discard(capture.landing(), e);
    }
  }

  /**
   * The first run: a new slot, and the whole table in the snapshot its creation exported. The new
   * slot is the generation {@code current} (the one the stored state reads, or null) is not, so
   * that {@code current} stays as it is until this run commits.
   */
  private Capture snapshot(
      ReplicationSource source,
      Resolved found,
      CaptureRequest capture,
      String current,
      String origin)
      throws SQLException, IOException {
    SourceTable resolved = found.table();
    ReplicationSource.Table table = found.pg();
    Optional<String> published = source.preparePublication(table);
    source.checkPublication(table);
    String slot =
        generations().get(0).equals(current) ? generations().get(1) : generations().get(0);
    // A refresh that failed may have left it; nothing reads from it.
    source.dropSlot(slot);
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
        throw createFailure(source, slot, e);
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
        SourceTable inSnapshot = SourceTable.resolve(reader, request).without(table.generated());
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
      source.dropSlot(slot);
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
        state(origin, slot, lsn));
  }

  /** A later run: the slot's changes from {@code from} until the WAL position of now. */
  private Capture stream(
      ReplicationSource source, Resolved found, CaptureRequest capture, String slot, long from)
      throws SQLException, IOException {
    SourceTable resolved = found.table();
    ReplicationSource.Table table = found.pg();
    source.requirePublication(table);
    source.checkPublication(table);
    ReplicationSource.SlotStatus status = source.idleSlot(slot);
    long target = source.currentWal();
    long start = Math.max(from, status.confirmedFlush());
    long reached = start;
    long rows;
    try (ChangeRowWriter out =
        new ChangeRowWriter(resolved.columns(), capture.landing(), capture.progress())) {
      if (start < target) {
        SlotReader reader =
            new SlotReader(
                source, slot, table, resolved.loadedColumns(), keyColumns(resolved, table), out);
        Connection replication = source.replicationConnection();
        try {
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
                  .start();
          Optional<Integer> sender = source.slot(slot).flatMap(s -> s.activePid());
          try {
            reached = reader.read(stream, target, timeout);
          } finally {
            // Not a polite close: that waits for the server to stop, which a busy one does late.
            abort(replication);
            sender.ifPresent(pid -> source.endStream(slot, pid));
          }
        } catch (SQLException e) {
          throw streamFailure(source, slot, e);
        } finally {
          abort(replication);
        }
      }
      rows = out.rows();
    }
    if (rows == 0 && reached > status.confirmedFlush()) {
      // Nothing of the table was read, so nothing can be lost by confirming it now; should the
      // slot still be held, the next run confirms it.
      try {
        source.advanceSlot(slot, reached);
      } catch (ExtractFailure | SQLException e) {
        // Only WAL kept a while longer.
      }
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
        state(origin(table.oid()), slot, lsn));
  }

  @Override
  public void committed(Map<String, String> state) {
    String lsn = state.get(lsnKey());
    String used = state.get(slotKey());
    if (lsn == null || !generations().contains(used)) {
      return;
    }
    String lead =
        "Cannot confirm replication slot " + used + " of " + request.describe() + " up to " + lsn;
    String unmoved =
        "; the run committed, the next run starts at its stored position "
            + lsn
            + ", and the slot keeps the server's WAL till then";
    try (ReplicationSource source =
        ReplicationSource.open(request, slot, publication, lead, unmoved)) {
      try {
        source.advanceSlot(used, LogSequenceNumber.valueOf(lsn).asLong());
        // The generation a refresh replaced (or one a failed refresh left), and the slot of
        // versions that used the base name itself.
        for (String other : List.of(slot, generations().get(0), generations().get(1))) {
          if (!other.equals(used)) {
            source.dropSlot(other);
          }
        }
      } catch (SQLException e) {
        throw new ExtractFailure(lead + ": " + ReplicationSource.message(e) + unmoved, e);
      }
    }
  }

  /** The two generations of the slot, one of which the state names. */
  private List<String> generations() {
    return List.of(slot + "_1", slot + "_2");
  }

  private Map<String, String> state(String origin, String used, String lsn) {
    Map<String, String> state = new LinkedHashMap<>();
    state.put(originKey(), origin);
    state.put(slotKey(), used);
    state.put(lsnKey(), lsn);
    return state;
  }

  private static void abort(Connection connection) {
    try {
      connection.abort(Runnable::run);
    } catch (SQLException | RuntimeException e) {
      // Already closed.
    }
  }

  private ExtractFailure createFailure(ReplicationSource source, String slot, SQLException e) {
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

  private ExtractFailure streamFailure(ReplicationSource source, String slot, SQLException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("has already been removed")
        || message.contains("can no longer get changes")
        || message.contains("invalidated")) {
      return source.lost(slot, "lost the WAL it needs (" + ReplicationSource.message(e) + ")", e);
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

  /**
   * What the stored LSN was read from: the slot's base name, the table (and its oid, so that a
   * table dropped and created again starts over) and the connection.
   */
  private String origin(int oid) {
    return "slot "
        + slot
        + " of table "
        + request.table()
        + " (oid "
        + oid
        + ") through "
        + request.connection();
  }

  private String slotKey() {
    return "log slot:" + request.source();
  }

  private String originKey() {
    return "log origin:" + request.source();
  }

  private String lsnKey() {
    return "log lsn:" + request.source();
  }
}
