package dev.conform.cdc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.postgresql.PGProperty;
import org.postgresql.replication.LogSequenceNumber;

/**
 * A PostgreSQL source seen by logical decoding, over an ordinary connection (autocommit): checks
 * that the server and the user can decode, finds the table, keeps its publication, and reads, drops
 * and advances its replication slot. Every failure names the source and says what to do.
 */
final class ReplicationSource implements AutoCloseable {
  /** How long to wait for a slot that another (or a killed) process still holds. */
  private static final long SLOT_BUSY_MILLIS = 15_000;

  /** A base name: the slots used add a generation, {@code _1} or {@code _2}. */
  private static final Pattern SLOT_NAME = Pattern.compile("[a-z0-9_]{1,61}");

  private final SourceRequest request;
  private final String publication;
  private final Connection connection;
  private final String lead;
  private final String unmoved;

  /**
   * The table the source reads: its oid (pgoutput's relation id), schema, name, the columns of its
   * primary key (empty when it has none), its replica identity ({@code d}efault, {@code n}othing,
   * {@code f}ull, {@code i}ndex) with the columns it logs for an old row (none for FULL: all), the
   * attribute numbers of its columns, and its generated columns (which pgoutput never sends).
   */
  record Table(
      int oid,
      String schema,
      String name,
      List<String> primaryKey,
      char identity,
      List<String> identityColumns,
      Map<String, Integer> attnums,
      Set<String> generated) {
    String qualified() {
      return quote(schema) + "." + quote(name);
    }
  }

  /** A slot as the server lists it; {@code walStatus} is {@code lost} once its WAL is gone. */
  record SlotStatus(Optional<Integer> activePid, long confirmedFlush, String walStatus) {}

  private ReplicationSource(
      SourceRequest request,
      String publication,
      Connection connection,
      String lead,
      String unmoved) {
    this.request = request;
    this.publication = publication;
    this.connection = connection;
    this.lead = lead;
    this.unmoved = unmoved;
  }

  /** Connects and checks the slot's base name, the server's wal_level and the user's privilege. */
  static ReplicationSource open(SourceRequest request, String slot, String publication) {
    return open(
        request,
        slot,
        publication,
        "Cannot read " + request.describe(),
        "; nothing was loaded and its position did not move");
  }

  /**
   * As {@link #open(SourceRequest, String, String)}, for work after a run committed: failures start
   * with {@code lead} and end with {@code unmoved} instead of saying nothing was loaded.
   */
  static ReplicationSource open(
      SourceRequest request, String slot, String publication, String lead, String unmoved) {
    if (!SLOT_NAME.matcher(slot).matches()) {
      throw new ExtractFailure(
          lead
              + ": invalid replication slot name '"
              + slot
              + "'; a slot name has 1 to 61 lower-case letters, digits and underscores (the"
              + " slots used add _1 or _2)",
          null);
    }
    Connection connection;
    try {
      connection = SourceTable.connect(request);
    } catch (ExtractFailure e) {
      if (lead.startsWith("Cannot read ")) {
        throw e;
      }
      String detail =
          e.getMessage().replace("Cannot connect to " + request.describe(), "cannot connect");
      throw new ExtractFailure(lead + ": " + detail + unmoved, e.getCause());
    }
    ReplicationSource source =
        new ReplicationSource(request, publication, connection, lead, unmoved);
    try {
      connection.setReadOnly(false);
      connection.setAutoCommit(true);
      source.checkServer();
      return source;
    } catch (SQLException e) {
      source.close();
      throw source.failure("cannot check the server", "", e);
    } catch (RuntimeException e) {
      source.close();
      throw e;
    }
  }

  private void checkServer() throws SQLException {
    String level = text("SHOW wal_level");
    if (!level.equals("logical")) {
      throw failure(
          "the server's wal_level is '"
              + level
              + "', but logical decoding needs 'logical'; set wal_level = logical in"
              + " postgresql.conf (or ALTER SYSTEM SET wal_level = logical) and restart the server",
          null);
    }
    String user = text("SELECT current_user");
    boolean allowed =
        text("SELECT (rolreplication OR rolsuper)::text FROM pg_roles WHERE rolname = current_user")
            .equals("true");
    if (!allowed) {
      throw failure(
          "user '"
              + user
              + "' may not use replication; grant it (ALTER ROLE "
              + quote(user)
              + " WITH REPLICATION) or connect as a user that has the REPLICATION privilege",
          null);
    }
  }

  /** The ordinary connection, autocommit on. */
  Connection connection() {
    return connection;
  }

  /** The source's table as the spec names it, resolved as a query would resolve it. */
  Table table(SourceTable resolved) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT c.oid::int, n.nspname, c.relname FROM pg_class c"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = ?::regclass")) {
      statement.setString(1, resolved.qualifiedName());
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        int oid = row.getInt(1);
        String schema = row.getString(2);
        String name = row.getString(3);
        List<String> primaryKey = keyColumns(oid, "i.indisprimary");
        char identity =
            text("SELECT relreplident::text FROM pg_class WHERE oid = " + oid).charAt(0);
        List<String> identityColumns =
            switch (identity) {
              case 'd' -> primaryKey;
              case 'i' -> keyColumns(oid, "i.indisreplident");
              default -> List.of();
            };
        Map<String, Integer> attnums = new LinkedHashMap<>();
        Set<String> generated = new HashSet<>();
        try (Statement attributes = connection.createStatement();
            ResultSet column =
                attributes.executeQuery(
                    "SELECT attname, attnum, attgenerated::text FROM pg_attribute WHERE attrelid = "
                        + oid
                        + " AND attnum > 0 AND NOT attisdropped")) {
          while (column.next()) {
            attnums.put(column.getString(1), column.getInt(2));
            if (!column.getString(3).isEmpty()) {
              generated.add(column.getString(1));
            }
          }
        }
        return new Table(
            oid,
            schema,
            name,
            primaryKey,
            identity,
            identityColumns,
            Map.copyOf(attnums),
            Set.copyOf(generated));
      }
    }
  }

  /** The columns of the table's index that {@code which} picks, in the index's order. */
  private List<String> keyColumns(int oid, String which) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT a.attname FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey)"
                + " WITH ORDINALITY AS k(attnum, n) JOIN pg_attribute a ON a.attrelid ="
                + " i.indrelid AND a.attnum = k.attnum WHERE i.indrelid = ? AND "
                + which
                + " ORDER BY k.n")) {
      statement.setInt(1, oid);
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          columns.add(row.getString(1));
        }
      }
    }
    return List.copyOf(columns);
  }

  /**
   * Makes the publication publish the table: creates it when missing, adds the table when it does
   * not publish it. Returns what it did, for the run's log, or empty when it did nothing.
   */
  Optional<String> preparePublication(Table table) {
    try {
      if (!publicationExists()) {
        execute("CREATE PUBLICATION " + quote(publication) + " FOR TABLE " + table.qualified());
        return Optional.of("created publication " + publication);
      }
      if (!publishes(table)) {
        execute("ALTER PUBLICATION " + quote(publication) + " ADD TABLE " + table.qualified());
        return Optional.of("added the table to publication " + publication);
      }
      return Optional.empty();
    } catch (SQLException e) {
      throw failure(
          "cannot create publication "
              + publication
              + " for table "
              + table.qualified()
              + ": "
              + message(e)
              + "; the connection's user needs the CREATE privilege on the database and to own"
              + " the table, or an owner can run CREATE PUBLICATION "
              + quote(publication)
              + " FOR TABLE "
              + table.qualified()
              + " once",
          e);
    }
  }

  /** Fails unless the publication exists and publishes the table: decoding would skip it. */
  void requirePublication(Table table) throws SQLException {
    boolean exists = publicationExists();
    if (!exists || !publishes(table)) {
      throw failure(
          "publication "
              + publication
              + (exists ? " no longer publishes table " : " was dropped; table ")
              + table.qualified()
              + (exists ? "" : " is published by none")
              + ", so its changes since then cannot be read; rebuild the models that read it"
              + " with conform run --full-refresh MODEL",
          null);
    }
  }

  /**
   * Fails unless the publication publishes every insert, update and delete of the table, whole:
   * without a row filter or a column list (PostgreSQL 15 and later), which would drop changes or
   * values without a word.
   */
  void checkPublication(Table table) throws SQLException {
    List<String> missing = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT pubinsert, pubupdate, pubdelete FROM pg_publication WHERE pubname = ?")) {
      statement.setString(1, publication);
      try (ResultSet row = statement.executeQuery()) {
        if (row.next()) {
          String[] operations = {"insert", "update", "delete"};
          for (int i = 0; i < operations.length; i++) {
            if (!row.getBoolean(i + 1)) {
              missing.add(operations[i]);
            }
          }
        }
      }
    }
    if (!missing.isEmpty()) {
      throw failure(
          "publication "
              + publication
              + " does not publish "
              + String.join(", ", missing)
              + " (its publish parameter), so those changes of table "
              + table.qualified()
              + " would be missed; run ALTER PUBLICATION "
              + quote(publication)
              + " SET (publish = 'insert, update, delete'), then rebuild the models that read it"
              + " with conform run --full-refresh MODEL",
          null);
    }
    if (Integer.parseInt(text("SHOW server_version_num")) < 150000) {
      return;
    }
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT r.prqual IS NOT NULL, r.prattrs IS NOT NULL FROM pg_publication_rel r"
                + " JOIN pg_publication p ON p.oid = r.prpubid WHERE p.pubname = ?"
                + " AND r.prrelid = ?")) {
      statement.setString(1, publication);
      statement.setInt(2, table.oid());
      try (ResultSet row = statement.executeQuery()) {
        if (row.next() && (row.getBoolean(1) || row.getBoolean(2))) {
          throw failure(
              "publication "
                  + publication
                  + " publishes table "
                  + table.qualified()
                  + " with "
                  + (row.getBoolean(1) ? "a row filter (WHERE)" : "a column list")
                  + ", so some of its changes would be missed; publish the whole table (ALTER"
                  + " PUBLICATION "
                  + quote(publication)
                  + " SET TABLE "
                  + table.qualified()
                  + "), then rebuild the models that read it with conform run --full-refresh"
                  + " MODEL",
              null);
        }
      }
    }
  }

  private boolean publicationExists() throws SQLException {
    return exists("SELECT 1 FROM pg_publication WHERE pubname = ?", publication);
  }

  private boolean publishes(Table table) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT 1 FROM pg_publication_tables WHERE pubname = ? AND schemaname = ?"
                + " AND tablename = ?")) {
      statement.setString(1, publication);
      statement.setString(2, table.schema());
      statement.setString(3, table.name());
      try (ResultSet row = statement.executeQuery()) {
        return row.next();
      }
    }
  }

  /** The slot's status, or empty when there is no such slot. */
  Optional<SlotStatus> slot(String slot) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT active_pid, confirmed_flush_lsn::text, wal_status FROM pg_replication_slots"
                + " WHERE slot_name = ?")) {
      statement.setString(1, slot);
      try (ResultSet row = statement.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        int pid = row.getInt(1);
        Optional<Integer> active = row.wasNull() ? Optional.empty() : Optional.of(pid);
        String flushed = row.getString(2);
        long confirmed = flushed == null ? 0 : LogSequenceNumber.valueOf(flushed).asLong();
        return Optional.of(new SlotStatus(active, confirmed, row.getString(3)));
      }
    }
  }

  /**
   * The slot, once no process holds it (a killed run's server process takes a moment to notice);
   * fails when it is missing or its WAL is gone.
   */
  SlotStatus idleSlot(String slot) throws SQLException {
    long deadline = System.currentTimeMillis() + SLOT_BUSY_MILLIS;
    while (true) {
      Optional<SlotStatus> status = slot(slot);
      if (status.isEmpty() || "lost".equals(status.get().walStatus())) {
        throw lost(slot, status.isEmpty() ? "was dropped" : "lost the WAL it needs", null);
      }
      if (status.get().activePid().isEmpty()) {
        return status.get();
      }
      if (System.currentTimeMillis() > deadline) {
        throw busy(slot, status.get().activePid().get());
      }
      pause();
    }
  }

  /** Drops the slot when it exists, waiting for a process that still holds it to let go. */
  void dropSlot(String slot) throws SQLException {
    long deadline = System.currentTimeMillis() + SLOT_BUSY_MILLIS;
    while (true) {
      Optional<SlotStatus> status = slot(slot);
      if (status.isEmpty()) {
        return;
      }
      if (status.get().activePid().isEmpty()) {
        try (PreparedStatement drop =
            connection.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
          drop.setString(1, slot);
          drop.execute();
          return;
        } catch (SQLException e) {
          // Taken again between the look and the drop: look again.
          if (!"55006".equals(e.getSQLState())) {
            throw e;
          }
        }
      } else if (System.currentTimeMillis() > deadline) {
        throw busy(slot, status.get().activePid().get());
      }
      pause();
    }
  }

  /** Moves the slot's confirmed position up to {@code lsn}; never back. */
  void advanceSlot(String slot, long lsn) throws SQLException {
    SlotStatus status = idleSlot(slot);
    if (status.confirmedFlush() >= lsn) {
      return;
    }
    try (PreparedStatement advance =
        connection.prepareStatement("SELECT pg_replication_slot_advance(?, ?::pg_lsn)")) {
      advance.setString(1, slot);
      advance.setString(2, LogSequenceNumber.valueOf(lsn).asString());
      advance.execute();
    }
  }

  /**
   * Where the server's WAL ends now: past every transaction committed so far. The insert position,
   * not {@code pg_current_wal_lsn()}: with {@code synchronous_commit = off} a committed transaction
   * can lie past the WAL written so far. At the start of a WAL page the insert position points past
   * the page's header, where no record ends; the page's start stands for it then, since a stream
   * that decoded the page before it has read everything.
   */
  long currentWal() throws SQLException {
    long insert =
        LogSequenceNumber.valueOf(text("SELECT pg_current_wal_insert_lsn()::text")).asLong();
    long page = Long.parseLong(text("SHOW wal_block_size"));
    long inPage = Long.remainderUnsigned(insert, page);
    // The short page header is 24 bytes, the long one (first page of a segment) 40.
    return inPage == 24 || inPage == 40 ? insert - inPage : insert;
  }

  /**
   * How far the server process streaming the slot has read the WAL ({@code sent_lsn}, which moves
   * while it decodes, even when it sends nothing), or empty when no process streams it.
   */
  Optional<Long> sentLsn(String slot) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT s.sent_lsn::text FROM pg_replication_slots r JOIN pg_stat_replication s"
                + " ON s.pid = r.active_pid WHERE r.slot_name = ?")) {
      statement.setString(1, slot);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() && row.getString(1) != null
            ? Optional.of(LogSequenceNumber.valueOf(row.getString(1)).asLong())
            : Optional.empty();
      }
    }
  }

  /**
   * Ends server process {@code pid} when it still streams the slot: a stream this run abandoned,
   * which could otherwise hold the slot while it works through a backlog. Best effort.
   */
  void endStream(String slot, int pid) {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots"
                + " WHERE slot_name = ? AND active_pid = ?")) {
      statement.setString(1, slot);
      statement.setInt(2, pid);
      statement.execute();
    } catch (SQLException e) {
      // It ends by itself once it notices the closed connection.
    }
  }

  /** The server's time now, in UTC, as {@code _cdc_at} writes it. */
  String nowUtc() throws SQLException {
    return text("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')");
  }

  /** A new connection in replication mode (a walsender), for the replication API. */
  Connection replicationConnection() {
    Properties properties = new Properties();
    properties.putAll(request.connection().properties());
    PGProperty.REPLICATION.set(properties, "database");
    PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "10");
    PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
    properties.putIfAbsent("connectTimeout", "20");
    try {
      return DriverManager.getConnection(request.connection().url(), properties);
    } catch (SQLException e) {
      throw failure(
          "cannot open a replication connection: "
              + message(e)
              + "; the server's pg_hba.conf must allow the user replication connections to the"
              + " database",
          e);
    }
  }

  /** "the slot was dropped" and what to do about it. */
  ExtractFailure lost(String slot, String what, Throwable cause) {
    return failure(
        "replication slot "
            + slot
            + " "
            + what
            + ", so changes since the last run cannot be read; rebuild the models that read it"
            + " with conform run --full-refresh MODEL",
        cause);
  }

  private ExtractFailure busy(String slot, int pid) {
    return failure(
        "replication slot "
            + slot
            + " is in use by server process "
            + pid
            + "; another conform run of this model may be running: wait for it, or end that"
            + " process (SELECT pg_terminate_backend("
            + pid
            + "))",
        null);
  }

  /** "Cannot read source ... : what" ("; nothing was loaded" added for a SQL failure). */
  ExtractFailure failure(String what, Throwable cause) {
    return new ExtractFailure(lead + ": " + what, cause);
  }

  ExtractFailure failure(String what, String todo, SQLException e) {
    return failure(what + ": " + message(e) + todo + unmoved, e);
  }

  private boolean exists(String sql, String parameter) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, parameter);
      try (ResultSet row = statement.executeQuery()) {
        return row.next();
      }
    }
  }

  private String text(String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getString(1);
    }
  }

  private void execute(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for a replication slot", e);
    }
  }

  /**
   * A driver's message as {@link SourceTable#message}; a replication connection's messages also
   * carry the server's severity, which says nothing here.
   */
  static String message(SQLException e) {
    return SourceTable.message(e).replaceFirst("^(ERROR|FATAL): ", "");
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // Nothing was changed through it that a close could lose.
    }
  }
}
