package dev.conform.cdc;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.conform.dsl.CdcSpec;
import dev.conform.spi.Column;
import dev.conform.spi.DataType;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code cdc: { strategy: change_log }}: reads the log table a trigger fills with every insert,
 * update and delete of the tracked table, from the log id the last committed run reached (less the
 * lookback), and lands one row per key: the net change of that key's log rows in the batch. The
 * database sorts the rows by key and id, so a batch of any size needs little memory. With {@code
 * purge: true}, {@link #committed} deletes the log rows no later run reads again.
 */
final class ChangeLogCapture implements ChangeCapture {

  private static final JsonFactory JSON = new JsonFactory();

  /** Log rows a purge deletes per statement where it deletes by id. */
  private static final int PURGE_BATCH = 1000;

  private final SourceRequest request;
  private final ChangeLogSettings settings;

  ChangeLogCapture(SourceRequest request, ChangeLogSettings settings) {
    this.request = request;
    this.settings = settings;
  }

  @Override
  public List<Column> describe() {
    try (Connection connection = SourceTable.connect(request)) {
      return LogTable.resolve(connection, request, settings).columns();
    } catch (SQLException e) {
      throw failure("cannot describe its change log table", e);
    }
  }

  @Override
  public Capture capture(CaptureRequest capture) {
    Path landing = capture.landing();
    try (Connection connection = SourceTable.connect(request)) {
      LogTable log = LogTable.resolve(connection, request, settings);
      String origin = origin(connection, log);
      Optional<BigDecimal> mark = mark(capture.state(), capture.fullRefresh(), origin);
      if (mark.isPresent()) {
        checkNotBehind(connection, log, mark.get());
      }
      Optional<BigDecimal> lowerBound =
          mark.map(m -> m.subtract(BigDecimal.valueOf(settings.lookback())));
      String sql =
          "SELECT "
              + String.join(", ", log.select())
              + " FROM "
              + log.table().qualifiedName()
              + lowerBound.map(b -> " WHERE " + log.quotedId() + " > ?").orElse("")
              + " ORDER BY "
              + String.join(", ", log.orderBy());
      Files.createDirectories(landing.toAbsolutePath().getParent());
      BigDecimal highest = mark.orElse(null);
      long written = 0;
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        statement.setFetchSize(TableExtractor.FETCH_SIZE);
        if (lowerBound.isPresent()) {
          bindId(statement, lowerBound.get());
        }
        try (ResultSet result = statement.executeQuery();
            JsonGenerator out =
                JSON.createGenerator(landing.toFile(), JsonEncoding.UTF8)
                    .setRootValueSeparator(null)) {
          NetChange current = null;
          long read = 0;
          while (result.next()) {
            LogRow row = log.read(result);
            highest = highest == null || row.id().compareTo(highest) > 0 ? row.id() : highest;
            if (current != null && !current.key().equals(row.key())) {
              written += current.write(out, log.columns(), mark);
              current = null;
            }
            current = current == null ? new NetChange(row) : current.then(row);
            if (++read % TableExtractor.FETCH_SIZE == 0) {
              capture.progress().accept(read);
            }
          }
          if (current != null) {
            written += current.write(out, log.columns(), mark);
          }
        }
      }
      connection.commit();
      Map<String, String> state = new LinkedHashMap<>();
      state.put(originKey(), origin);
      if (highest != null) {
        state.put(markKey(), highest.toPlainString());
      }
      Extracted extracted =
          new Extracted(
              log.columns(),
              written,
              Optional.ofNullable(highest).map(BigDecimal::toPlainString),
              landing);
      String from =
          "from change log "
              + settings.logTable()
              + mark.map(m -> " past " + settings.idColumn() + " " + m.toPlainString())
                  .orElse(" (all)");
      return new Capture(extracted, from, state);
    } catch (SQLException e) {
      throw Landing.discard(landing, failure("reading its change log failed", e));
    } catch (IOException e) {
      throw Landing.unwritable("Cannot read " + request.describe(), landing, e);
    } catch (RuntimeException e) {
      throw Landing.discard(landing, e);
    }
  }

  /**
   * Deletes the log rows that the committed run read and that no later run reads again (ids up to
   * the mark less the lookback), in a transaction of its own; nothing without {@code purge: true}.
   */
  @Override
  public void committed(Map<String, String> state) {
    Optional<String> mark = Optional.ofNullable(state.get(markKey()));
    if (!settings.purge() || mark.isEmpty() || !state.containsKey(originKey())) {
      return;
    }
    BigDecimal upTo = new BigDecimal(mark.get()).subtract(BigDecimal.valueOf(settings.lookback()));
    try (Connection connection = SourceTable.connect(request)) {
      connection.setReadOnly(false);
      connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      LogTable log = LogTable.resolve(connection, request, settings);
      // Another log table, or this one dropped and created again since: its ids are not these.
      if (!origin(connection, log).equals(state.get(originKey()))) {
        return;
      }
      if (request.connection().type().equals("postgresql")) {
        try (PreparedStatement delete =
            connection.prepareStatement(
                "DELETE FROM "
                    + log.table().qualifiedName()
                    + " WHERE "
                    + log.quotedId()
                    + " <= ?")) {
          bindId(delete, upTo);
          delete.executeUpdate();
        }
      } else {
        purgeById(connection, log, upTo);
      }
      connection.commit();
    } catch (SQLException e) {
      throw purgeFailure("' of " + request.describe() + ": " + SourceTable.message(e), e);
    } catch (ExtractFailure e) {
      throw purgeFailure("': " + e.getMessage(), e);
    }
  }

  /** A purge that failed after the run committed: {@code detail} follows the log table's name. */
  private ExtractFailure purgeFailure(String detail, Exception cause) {
    return new ExtractFailure(
        "Cannot purge the change log table '"
            + settings.logTable()
            + detail
            + "; the run committed, and a later run purges the rows this one left",
        cause);
  }

  /**
   * Deletes the committed log rows up to {@code upTo} by their ids. A range delete would wait on a
   * row that a transaction in flight has just written past the range: InnoDB locks the first row
   * past a range to end it, at any isolation level.
   */
  private static void purgeById(Connection connection, LogTable log, BigDecimal upTo)
      throws SQLException {
    List<BigDecimal> ids = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT "
                + log.quotedId()
                + " FROM "
                + log.table().qualifiedName()
                + " WHERE "
                + log.quotedId()
                + " <= ?")) {
      bindId(select, upTo);
      try (ResultSet result = select.executeQuery()) {
        while (result.next()) {
          ids.add(result.getBigDecimal(1));
        }
      }
    }
    for (int from = 0; from < ids.size(); from += PURGE_BATCH) {
      List<BigDecimal> batch = ids.subList(from, Math.min(ids.size(), from + PURGE_BATCH));
      try (PreparedStatement delete =
          connection.prepareStatement(
              "DELETE FROM "
                  + log.table().qualifiedName()
                  + " WHERE "
                  + log.quotedId()
                  + " IN ("
                  + String.join(", ", java.util.Collections.nCopies(batch.size(), "?"))
                  + ")")) {
        for (int i = 0; i < batch.size(); i++) {
          bindId(delete, i + 1, batch.get(i));
        }
        delete.executeUpdate();
      }
      connection.commit();
    }
  }

  /**
   * The stored mark, unless refreshing or read from another log table or connection, or from this
   * log table before it was dropped and created again ({@code origin} is the log's now).
   */
  private Optional<BigDecimal> mark(Map<String, String> state, boolean fullRefresh, String origin) {
    if (fullRefresh || !origin.equals(state.get(originKey()))) {
      return Optional.empty();
    }
    Optional<String> stored = Optional.ofNullable(state.get(markKey()));
    try {
      return stored.map(BigDecimal::new);
    } catch (NumberFormatException e) {
      throw new ExtractFailure(
          "Cannot read "
              + request.describe()
              + ": the stored change log id '"
              + stored.get()
              + "' is not a number; rebuild the models that read it with conform run"
              + " --full-refresh",
          e);
    }
  }

  /** Binds a log id as a whole number when it is one, so that the id's index serves the query. */
  private static void bindId(PreparedStatement statement, BigDecimal id) throws SQLException {
    bindId(statement, 1, id);
  }

  private static void bindId(PreparedStatement statement, int index, BigDecimal id)
      throws SQLException {
    try {
      statement.setLong(index, id.longValueExact());
    } catch (ArithmeticException e) {
      statement.setBigDecimal(index, id);
    }
  }

  /**
   * Where the stored mark was read: the log table, which one of that name (PostgreSQL: its oid;
   * MariaDB, MySQL: when it was created), and the connection. A log created again restarts its ids,
   * so a mark of the old one must not skip them.
   */
  private String origin(Connection connection, LogTable log) throws SQLException {
    String type = request.connection().type();
    String identity = null;
    if (type.equals("postgresql")) {
      try (PreparedStatement query = connection.prepareStatement("SELECT ?::regclass::oid")) {
        query.setString(1, log.table().qualifiedName());
        try (ResultSet result = query.executeQuery()) {
          identity = result.next() ? "oid " + result.getString(1) : null;
        }
      }
    } else if (type.equals("mariadb") || type.equals("mysql")) {
      try (PreparedStatement query =
          connection.prepareStatement(
              "SELECT CREATE_TIME FROM information_schema.TABLES WHERE TABLE_SCHEMA ="
                  + " COALESCE(?, DATABASE()) AND TABLE_NAME = ?")) {
        query.setString(1, log.table().schemaName());
        query.setString(2, log.table().tableName());
        try (ResultSet result = query.executeQuery()) {
          String created = result.next() ? result.getString(1) : null;
          identity = created == null ? null : "created " + created;
        }
      }
    }
    return "change log "
        + settings.logTable()
        + (identity == null ? "" : " (" + identity + ")")
        + " through "
        + request.connection();
  }

  /**
   * Fails when the log's ids end below {@code mark}: the log was emptied and refilled, or created
   * again where its identity does not tell, and the next ids would be skipped.
   */
  private void checkNotBehind(Connection connection, LogTable log, BigDecimal mark)
      throws SQLException {
    try (PreparedStatement query =
            connection.prepareStatement(
                "SELECT max(" + log.quotedId() + ") FROM " + log.table().qualifiedName());
        ResultSet result = query.executeQuery()) {
      BigDecimal highest = result.next() ? result.getBigDecimal(1) : null;
      if (highest != null && highest.compareTo(mark) < 0) {
        throw new ExtractFailure(
            "Cannot read "
                + request.describe()
                + ": its change log table '"
                + settings.logTable()
                + "' has "
                + settings.idColumn()
                + " values up to "
                + highest.toPlainString()
                + ", below the "
                + mark.toPlainString()
                + " the last run read up to: it was emptied or created again, and its ids"
                + " restarted; rebuild the models that read it with conform run --full-refresh"
                + " (nothing was loaded and its position did not move)",
            null);
      }
    }
  }

  private String originKey() {
    return "change log origin:" + request.source();
  }

  private String markKey() {
    return "change log id:" + request.source();
  }

  private ExtractFailure failure(String what, SQLException e) {
    return new ExtractFailure(
        "Cannot read "
            + request.describe()
            + ": "
            + what
            + " '"
            + settings.logTable()
            + "': "
            + SourceTable.message(e)
            + "; nothing was loaded and its position did not move",
        e);
  }

  /** The operation of a log row. */
  private enum Op {
    I,
    U,
    D
  }

  /** One row of the log: its id, operation, time, the source's values and its key's values. */
  private record LogRow(BigDecimal id, Op op, String at, String[] values, List<String> key) {}

  /**
   * The log table with the roles of its columns: the id, operation and time columns, the source's
   * own columns (the others, or the declared ones) and where the key is among them.
   */
  private record LogTable(
      SourceRequest request,
      ChangeLogSettings settings,
      SourceTable table,
      SourceColumn id,
      SourceColumn op,
      SourceColumn time,
      List<SourceColumn> loaded,
      List<Column> columns,
      int[] keyIndexes) {

    static LogTable resolve(
        Connection connection, SourceRequest request, ChangeLogSettings settings)
        throws SQLException {
      // Unqualified, the log is in the tracked table's schema, where install-triggers makes it.
      int dot = request.table().lastIndexOf('.');
      String schema =
          dot >= 0
              ? request.table().substring(0, dot).strip()
              : Optional.ofNullable(connection.getSchema()).orElse(connection.getCatalog());
      SourceTable table =
          SourceTable.resolve(
              connection,
              request,
              settings.logTableIn(schema),
              "change log table",
              "; create it and its triggers with conform cdc install-triggers "
                  + request.source()
                  + ", or name it with log_table");
      SourceColumn id = table.column(settings.idColumn(), "its id_column");
      SourceColumn op = table.column(settings.opColumn(), "its op_column");
      SourceColumn time = table.column(settings.timeColumn(), "its time_column");
      if (!time.type().isTemporal()) {
        throw new ExtractFailure(
            "Cannot read "
                + request.describe()
                + ": time_column '"
                + time.name()
                + "' of its change log table is of type "
                + time.typeName()
                + "; a change log's time column is a timestamp",
            null);
      }
      List<SourceColumn> loaded;
      List<Column> columns;
      if (request.declared().isEmpty()) {
        loaded =
            table.tableColumns().stream().filter(c -> c != id && c != op && c != time).toList();
        columns = loaded.stream().map(c -> Column.of(c.name(), c.type())).toList();
      } else {
        loaded = table.loadedColumns();
        columns = table.columns();
      }
      int[] keyIndexes = new int[settings.key().size()];
      for (int k = 0; k < keyIndexes.length; k++) {
        SourceColumn key = table.column(settings.key().get(k), "key column");
        keyIndexes[k] = loaded.indexOf(key);
        if (keyIndexes[k] < 0) {
          keyIndexes[k] = indexByName(loaded, key.name());
        }
        if (keyIndexes[k] < 0 || key == id || key == op || key == time) {
          throw new ExtractFailure(
              "Cannot read "
                  + request.describe()
                  + ": key column '"
                  + settings.key().get(k)
                  + "' is not one of the source's columns in its change log table; declare it"
                  + " under columns:",
              null);
        }
      }
      return new LogTable(request, settings, table, id, op, time, loaded, columns, keyIndexes);
    }

    private static int indexByName(List<SourceColumn> columns, String name) {
      for (int i = 0; i < columns.size(); i++) {
        if (columns.get(i).name().equals(name)) {
          return i;
        }
      }
      return -1;
    }

    String quotedId() {
      return table.quote(id.name());
    }

    List<String> select() {
      List<String> select = new ArrayList<>();
      loaded.forEach(c -> select.add(table.quote(c.name())));
      select.add(table.quote(id.name()));
      select.add(table.quote(op.name()));
      select.add(table.quote(time.name()));
      return select;
    }

    List<String> orderBy() {
      List<String> order = new ArrayList<>();
      for (int index : keyIndexes) {
        order.add(table.quote(loaded.get(index).name()));
      }
      order.add(table.quote(id.name()));
      return order;
    }

    LogRow read(ResultSet row) throws SQLException {
      String[] values = new String[loaded.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = loaded.get(i).text(row, i + 1);
      }
      List<String> key = new ArrayList<>(keyIndexes.length);
      for (int index : keyIndexes) {
        key.add(values[index]);
      }
      BigDecimal logId = row.getBigDecimal(values.length + 1);
      if (logId == null) {
        throw new ExtractFailure(
            "Cannot read "
                + request.describe()
                + ": a row of its change log table '"
                + settings.logTable()
                + "' has no "
                + settings.idColumn()
                + " (NULL) for key "
                + String.join(", ", key)
                + "; give every log row an increasing id (an identity or auto-increment"
                + " column); nothing was loaded and its position did not move",
            null);
      }
      String opText = row.getString(values.length + 2);
      String at;
      if (time.type().kind() == DataType.Kind.DATE) {
        LocalDate date = row.getObject(values.length + 3, LocalDate.class);
        at = date == null ? null : ChangeRowWriter.AT.format(date.atStartOfDay());
      } else {
        LocalDateTime timestamp = time.timestamp(row, values.length + 3);
        at = timestamp == null ? null : ChangeRowWriter.AT.format(timestamp);
      }
      return new LogRow(logId, op(logId, opText), at, values, key);
    }

    private Op op(BigDecimal logId, String text) {
      String op = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
      switch (op) {
        case "i":
        case CdcSpec.INSERT:
          return Op.I;
        case "u":
        case CdcSpec.UPDATE:
          return Op.U;
        case "d":
        case CdcSpec.DELETE:
          return Op.D;
        default:
          throw new ExtractFailure(
              "Cannot read "
                  + request.describe()
                  + ": row "
                  + settings.idColumn()
                  + " "
                  + (logId == null ? "NULL" : logId.toPlainString())
                  + " of its change log table '"
                  + settings.logTable()
                  + "' has "
                  + settings.opColumn()
                  + " "
                  + (text == null ? "NULL" : "'" + text + "'")
                  + ", which is not an operation; write I, U or D (or insert, update, delete);"
                  + " nothing was loaded and its position did not move",
              null);
      }
    }
  }

  /**
   * The changes of one key in the batch so far: its first operation and id, and its last row. Its
   * net change is nothing when the key was inserted and deleted within the batch, a delete with the
   * deleted values, or an insert or update with the last values.
   */
  private static final class NetChange {
    private final Op firstOp;
    private final BigDecimal firstId;
    private LogRow last;

    NetChange(LogRow first) {
      this.firstOp = first.op();
      this.firstId = first.id();
      this.last = first;
    }

    List<String> key() {
      return last.key();
    }

    NetChange then(LogRow row) {
      last = row;
      return this;
    }

    /** Writes the net change as a landing row (or none); returns how many rows it wrote. */
    int write(JsonGenerator out, List<Column> columns, Optional<BigDecimal> mark)
        throws IOException {
      String op;
      if (last.op() == Op.D) {
        boolean newInBatch =
            firstOp == Op.I && (mark.isEmpty() || firstId.compareTo(mark.get()) > 0);
        if (newInBatch) {
          return 0;
        }
        op = CdcSpec.DELETE;
      } else {
        op = firstOp == Op.I ? CdcSpec.INSERT : CdcSpec.UPDATE;
      }
      out.writeStartObject();
      for (int i = 0; i < columns.size(); i++) {
        field(out, columns.get(i).name(), last.values()[i]);
      }
      field(out, CdcSpec.OP_COLUMN, op);
      field(out, CdcSpec.AT_COLUMN, last.at());
      field(out, CdcSpec.POSITION_COLUMN, last.id().toPlainString());
      out.writeEndObject();
      out.writeRaw('\n');
      return 1;
    }

    private static void field(JsonGenerator out, String name, String value) throws IOException {
      out.writeFieldName(name);
      if (value == null) {
        out.writeNull();
      } else {
        out.writeString(value);
      }
    }
  }
}
