package dev.conform.cdc;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Installs what a {@code change_log} source reads: the log table (an increasing id, the operation,
 * the time in UTC, then every column of the tracked table) and the triggers that write a log row
 * for each inserted, updated and deleted row (new values for inserts and updates, old values for
 * deletes; an update that changes the key is logged as a delete of the old key and an insert of the
 * new one). PostgreSQL gets one plpgsql function and one trigger, in one transaction; MariaDB and
 * MySQL three triggers, undone when a later statement fails, since their DDL commits at once.
 */
public final class ChangeLogTriggers {
  /** The connection types whose triggers this installs, in the order they are listed to users. */
  public static final List<String> DATABASES = List.of("postgresql", "mariadb", "mysql");

  /**
   * The MariaDB and MySQL triggers' events in the order they are created (and dropped in reverse):
   * each commits at once, and a delete trigger alone logs no insert whose delete goes unlogged.
   */
  private static final List<String> EVENTS = List.of("delete", "update", "insert");

  /** What {@link #install} did. */
  public enum Outcome {
    /** The log table (when missing) and the triggers were created. */
    INSTALLED,
    /** The triggers (and the function) were dropped and created again. */
    REPLACED,
    /** The triggers were there: nothing was changed. */
    ALREADY_INSTALLED,
    /** A dry run: {@link Result#statements} says what would run; nothing was changed. */
    PLANNED
  }

  /**
   * What an installation did: its outcome, the objects it created in words ("table
   * customers_changes", ...), the statements it ran (or would run), and the tracked table's columns
   * that an existing log table lacks (the triggers do not copy them).
   */
  public record Result(
      Outcome outcome, List<String> created, List<String> statements, List<String> uncopied) {
    public Result {
      requireNonNull(outcome, "outcome is null");
      created = List.copyOf(created);
      statements = List.copyOf(statements);
      uncopied = List.copyOf(uncopied);
    }
  }

  private final SourceRequest request;
  private final ChangeLogSettings settings;
  private final boolean postgresql;

  private ChangeLogTriggers(SourceRequest request, ChangeLogSettings settings) {
    this.request = request;
    this.settings = settings;
    this.postgresql = request.connection().type().equals("postgresql");
  }

  /**
   * Installs the log table and triggers of the source {@code request} reads, unless its triggers
   * are there; {@code replace} drops and creates the triggers again (the log table and its rows
   * stay); {@code dryRun} only says what would run.
   *
   * @throws ExtractFailure when the database cannot be reached, the table is missing, or the
   *     database refuses a statement (with its message); nothing was created then
   */
  public static Result install(
      SourceRequest request, ChangeLogSettings settings, boolean replace, boolean dryRun) {
    String type = request.connection().type();
    if (!DATABASES.contains(type)) {
      throw new IllegalArgumentException("No change log triggers for " + type);
    }
    return new ChangeLogTriggers(request, settings).run(replace, dryRun);
  }

  private Result run(boolean replace, boolean dryRun) {
    try (Connection connection = SourceTable.connect(request)) {
      connection.setReadOnly(false);
      // PostgreSQL seeds in a transaction that locks writers out first and reads at READ
      // COMMITTED, so its seed sees every write committed before the lock. MariaDB and MySQL
      // seed with a locking read at REPEATABLE READ, which waits for a write in flight and reads
      // its row as committed, so the seed's row is never older than a logged change.
      connection.setTransactionIsolation(
          postgresql
              ? Connection.TRANSACTION_READ_COMMITTED
              : Connection.TRANSACTION_REPEATABLE_READ);
      SourceTable table = reword(() -> SourceTable.resolve(connection, request));
      for (String key : settings.key()) {
        reword(() -> table.column(key, "key column"));
      }
      List<String[]> tracked = trackedColumns(connection, table);
      for (String[] column : tracked) {
        for (String role :
            List.of(settings.idColumn(), settings.opColumn(), settings.timeColumn())) {
          if (column[0].equalsIgnoreCase(role)) {
            throw new ExtractFailure(
                "Cannot install the change log of "
                    + request.describe()
                    + ": its table has a column '"
                    + column[0]
                    + "', a name the log table gives its own id, operation or time column; name"
                    + " those otherwise with id_column, op_column or time_column",
                null);
          }
        }
      }
      Optional<SourceTable> log = existingLog(connection, table);
      List<String[]> copied = tracked;
      List<String> uncopied = new ArrayList<>();
      if (log.isPresent()) {
        List<String> logColumns =
            log.get().tableColumns().stream().map(SourceColumn::name).toList();
        copied =
            tracked.stream()
                .filter(c -> logColumns.stream().anyMatch(l -> l.equalsIgnoreCase(c[0])))
                .toList();
        tracked.stream()
            .filter(c -> !containsIgnoringCase(logColumns, c[0]))
            .forEach(c -> uncopied.add(c[0]));
      }
      List<String> expected = triggerNames();
      List<String> present = installedTriggers(connection, table);
      boolean complete = present.size() == expected.size();
      if (!present.isEmpty() && !complete && !replace) {
        throw new ExtractFailure(
            "Cannot install the change log of "
                + request.describe()
                + ": only "
                + present.size()
                + " of the "
                + expected.size()
                + " triggers of its change log are installed ("
                + String.join(", ", present)
                + "); run conform cdc install-triggers "
                + request.source()
                + " --replace",
            null);
      }
      if (complete && !replace && log.isPresent()) {
        return new Result(Outcome.ALREADY_INSTALLED, List.of(), List.of(), uncopied);
      }
      Sql sql = new Sql(table, copied);
      List<String> statements = new ArrayList<>();
      List<String> created = new ArrayList<>();
      if (postgresql) {
        // Before anything else: no write slips between the seed's snapshot and the trigger.
        statements.add("LOCK TABLE " + table.qualifiedName() + " IN SHARE ROW EXCLUSIVE MODE");
      }
      if (log.isEmpty()) {
        statements.add(sql.createLog(tracked));
        created.add("table " + logTableShown());
      }
      // Triggers there (a replace, or a log table dropped under them) are dropped first.
      int drops = statements.size();
      if (replace || !present.isEmpty()) {
        statements.addAll(sql.drops());
      }
      statements.addAll(sql.creates());
      created.addAll(sql.createdObjects());
      if (log.isEmpty()) {
        // A new log starts with the table as it is, so the first run loads every row. PostgreSQL
        // seeds in the transaction whose lock keeps writers out until it commits; MariaDB and
        // MySQL seed after their triggers exist, so a change made meanwhile is logged by a
        // trigger and nets with the seed row to the row's latest values.
        statements.add(sql.seed());
        created.add("log rows for the table's current rows (as inserts)");
      }
      if (dryRun) {
        return new Result(Outcome.PLANNED, created, statements, uncopied);
      }
      if (postgresql) {
        executeInTransaction(connection, statements);
      } else {
        executeUndoing(
            connection,
            statements,
            sql.drops(),
            log.isEmpty() ? List.of("DROP TABLE IF EXISTS " + sql.log) : List.of(),
            !present.isEmpty(),
            drops);
      }
      return new Result(
          complete ? Outcome.REPLACED : Outcome.INSTALLED, created, statements, uncopied);
    } catch (SQLException e) {
      throw new ExtractFailure(
          "Cannot install the change log of "
              + request.describe()
              + ": "
              + SourceTable.message(e)
              + "; nothing was created",
          e);
    }
  }

  private static boolean containsIgnoringCase(List<String> names, String name) {
    return names.stream().anyMatch(n -> n.equalsIgnoreCase(name));
  }

  /** Runs {@code statements} in one transaction; on failure rolls back and rethrows. */
  private static void executeInTransaction(Connection connection, List<String> statements)
      throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    }
  }

  /**
   * Runs {@code statements}, whose DDL commits at once. When one fails, undoes what they did: drops
   * the triggers when statement {@code drops} (the first that drops or creates a trigger) had been
   * reached, then runs {@code undoTable}; fails saying what is left: nothing, or no triggers at all
   * where {@code hadTriggers}.
   */
  private void executeUndoing(
      Connection connection,
      List<String> statements,
      List<String> undoTriggers,
      List<String> undoTable,
      boolean hadTriggers,
      int drops)
      throws SQLException {
    try (Statement statement = connection.createStatement()) {
      int ran = 0;
      try {
        for (String sql : statements) {
          statement.execute(sql);
          ran++;
        }
        connection.commit();
        return;
      } catch (SQLException e) {
        connection.rollback();
        boolean triggersTouched = ran >= drops;
        List<String> undo = new ArrayList<>(triggersTouched ? undoTriggers : List.of());
        undo.addAll(undoTable);
        List<String> failed = new ArrayList<>();
        for (String sql : undo) {
          try {
            statement.execute(sql);
          } catch (SQLException undoFailure) {
            failed.add(sql);
          }
        }
        String left;
        if (!failed.isEmpty()) {
          left =
              "; undoing what it did failed too: run "
                  + String.join("; ", failed)
                  + ", then conform cdc install-triggers "
                  + request.source()
                  + " --replace";
        } else if (hadTriggers && triggersTouched) {
          left =
              "; its triggers were dropped, so changes to table '"
                  + request.table()
                  + "' are not logged now: fix the cause and run conform cdc install-triggers "
                  + request.source()
                  + " --replace";
        } else {
          left = "; nothing was created";
        }
        throw new ExtractFailure(
            "Cannot install the change log of "
                + request.describe()
                + ": "
                + SourceTable.message(e)
                + left,
            e);
      }
    }
  }

  /** The tracked table's columns with their types as the database writes them, in order. */
  private List<String[]> trackedColumns(Connection connection, SourceTable table)
      throws SQLException {
    String query =
        postgresql
            ? "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a"
                + " WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped"
                + " ORDER BY a.attnum"
            : "SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS WHERE"
                + " TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? ORDER BY"
                + " ORDINAL_POSITION";
    List<String[]> columns = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(query)) {
      if (postgresql) {
        statement.setString(1, qualified(table, table.schemaName(), table.tableName()));
      } else {
        statement.setString(1, table.schemaName());
        statement.setString(2, table.tableName());
      }
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          columns.add(new String[] {result.getString(1), result.getString(2)});
        }
      }
    }
    return columns;
  }

  /** The log table when it exists (in the tracked table's schema unless the spec names one). */
  private Optional<SourceTable> existingLog(Connection connection, SourceTable table)
      throws SQLException {
    try {
      return Optional.of(
          SourceTable.resolve(
              connection,
              request,
              settings.logTableIn(table.schemaName()),
              "change log table",
              ""));
    } catch (ExtractFailure e) {
      return Optional.empty();
    }
  }

  /** The log table's name as users are told it: as the spec writes it, or the table's. */
  private String logTableShown() {
    int dot = request.table().lastIndexOf('.');
    return settings.logTableIn(dot < 0 ? null : request.table().substring(0, dot).strip());
  }

  /** The log table's schema as users are told it, or null when they are told none. */
  private String logSchemaShown() {
    int dot = request.table().lastIndexOf('.');
    return Optional.ofNullable(settings.logTableSchema())
        .orElse(dot < 0 ? null : request.table().substring(0, dot).strip());
  }

  /** The names of this log's triggers (PostgreSQL: one; MariaDB, MySQL: three). */
  private List<String> triggerNames() {
    if (postgresql) {
      return List.of(triggerName());
    }
    List<String> names = new ArrayList<>();
    for (String event : EVENTS) {
      names.add(triggerName() + "_" + event);
    }
    return names;
  }

  /** Which of this log's triggers are on the table already. */
  private List<String> installedTriggers(Connection connection, SourceTable table)
      throws SQLException {
    List<String> names = triggerNames();
    String marks = String.join(", ", java.util.Collections.nCopies(names.size(), "?"));
    String query =
        postgresql
            ? "SELECT tgname FROM pg_trigger WHERE tgrelid = ?::regclass AND tgname IN ("
                + marks
                + ")"
            : "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA ="
                + " COALESCE(?, DATABASE()) AND EVENT_OBJECT_TABLE = ? AND TRIGGER_NAME IN ("
                + marks
                + ")";
    List<String> present = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(query)) {
      int index = 1;
      if (postgresql) {
        statement.setString(index++, qualified(table, table.schemaName(), table.tableName()));
      } else {
        statement.setString(index++, table.schemaName());
        statement.setString(index++, table.tableName());
      }
      for (String name : names) {
        statement.setString(index++, name);
      }
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          present.add(result.getString(1));
        }
      }
    }
    // In the order the triggers are created.
    return names.stream().filter(n -> containsIgnoringCase(present, n)).toList();
  }

  /** The trigger's name (PostgreSQL), or the stem of the three triggers' (MariaDB, MySQL). */
  private String triggerName() {
    return settings.logTableName() + "_capture";
  }

  private static String qualified(SourceTable table, String schema, String name) {
    return (schema == null ? "" : table.quote(schema) + ".") + table.quote(name);
  }

  /** Runs {@code action}, saying "install" where its failure says "read". */
  private <T> T reword(SqlAction<T> action) throws SQLException {
    try {
      return action.run();
    } catch (ExtractFailure e) {
      String message = e.getMessage();
      throw new ExtractFailure(
          message.startsWith("Cannot read ")
              ? "Cannot install the change log of " + message.substring("Cannot read ".length())
              : message,
          e.getCause());
    }
  }

  private interface SqlAction<T> {
    T run() throws SQLException;
  }

  /** The statements for one database, with the names quoted and qualified as the spec writes. */
  private final class Sql {
    private final SourceTable table;
    private final List<String[]> copied;
    private final String log;
    private final String function;
    private final String tableSchemaPrefix;

    Sql(SourceTable table, List<String[]> copied) {
      this.table = table;
      this.copied = copied;
      // The log lives in the tracked table's schema unless the spec says another, and is named
      // with its schema everywhere: the function's search_path and the writers' do not find it.
      String logSchema = Optional.ofNullable(settings.logTableSchema()).orElse(table.schemaName());
      this.log =
          (logSchema == null ? "" : table.quote(logSchema) + ".")
              + table.quote(settings.logTableName());
      this.function =
          (logSchema == null ? "" : table.quote(logSchema) + ".") + table.quote(triggerName());
      // A qualified table's triggers live in its schema (MariaDB, MySQL).
      this.tableSchemaPrefix =
          request.table().contains(".") && table.schemaName() != null
              ? table.quote(table.schemaName()) + "."
              : "";
    }

    String createLog(List<String[]> tracked) {
      StringBuilder sql = new StringBuilder("CREATE TABLE ").append(log).append(" (\n");
      String id = table.quote(settings.idColumn());
      String op = table.quote(settings.opColumn());
      String time = table.quote(settings.timeColumn());
      if (postgresql) {
        sql.append("  ").append(id).append(" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n");
        sql.append("  ").append(op).append(" char(1) NOT NULL,\n");
        sql.append("  ")
            .append(time)
            .append(" timestamp(6) NOT NULL DEFAULT (clock_timestamp() AT TIME ZONE 'UTC')");
      } else {
        sql.append("  ").append(id).append(" BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,\n");
        sql.append("  ").append(op).append(" CHAR(1) NOT NULL,\n");
        sql.append("  ").append(time).append(" DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6))");
      }
      for (String[] column : tracked) {
        sql.append(",\n  ").append(table.quote(column[0])).append(' ').append(column[1]);
        sql.append(postgresql ? "" : " NULL");
      }
      return sql.append("\n)").toString();
    }

    List<String> drops() {
      if (postgresql) {
        return List.of(
            "DROP TRIGGER IF EXISTS " + table.quote(triggerName()) + " ON " + table.qualifiedName(),
            "DROP FUNCTION IF EXISTS " + function + "()");
      }
      List<String> drops = new ArrayList<>();
      for (String event : List.of("insert", "update", "delete")) {
        drops.add("DROP TRIGGER IF EXISTS " + mysqlTrigger(event));
      }
      return drops;
    }

    List<String> creates() {
      return postgresql ? postgresqlCreates() : mysqlCreates();
    }

    List<String> createdObjects() {
      if (postgresql) {
        return List.of(
            "function "
                + Optional.ofNullable(logSchemaShown()).map(s -> s + ".").orElse("")
                + triggerName()
                + "()",
            "trigger " + triggerName() + " on " + request.table());
      }
      List<String> objects = new ArrayList<>();
      for (String event : EVENTS) {
        objects.add("trigger " + triggerName() + "_" + event + " on " + request.table());
      }
      return objects;
    }

    private String mysqlTrigger(String event) {
      return tableSchemaPrefix + table.quote(triggerName() + "_" + event);
    }

    /** {@code INSERT INTO log (op, [time,] columns) VALUES ('X', [now,] ROW.c, ...)}. */
    private String insert(String op, String row) {
      StringBuilder names = new StringBuilder(table.quote(settings.opColumn()));
      StringBuilder values = new StringBuilder("'").append(op).append("'");
      if (!postgresql) {
        // SYSDATE is the time the row changed, not the time its statement started; its distance
        // from NOW, added to the statement's UTC time, gives the row's UTC time without reading a
        // local time back (ambiguous in the hour a daylight saving change repeats).
        names.append(", ").append(table.quote(settings.timeColumn()));
        values.append(
            ", TIMESTAMPADD(MICROSECOND, TIMESTAMPDIFF(MICROSECOND, NOW(6), SYSDATE(6)),"
                + " UTC_TIMESTAMP(6))");
      }
      for (String[] column : copied) {
        names.append(", ").append(table.quote(column[0]));
        values.append(", ").append(row).append('.').append(table.quote(column[0]));
      }
      return "INSERT INTO " + log + " (" + names + ") VALUES (" + values + ")";
    }

    /** {@code INSERT INTO log (op, columns) SELECT 'I', columns FROM table}; time by default. */
    String seed() {
      StringBuilder names = new StringBuilder(table.quote(settings.opColumn()));
      StringBuilder values = new StringBuilder("'I'");
      for (String[] column : copied) {
        names.append(", ").append(table.quote(column[0]));
        values.append(", ").append(table.quote(column[0]));
      }
      return "INSERT INTO "
          + log
          + " ("
          + names
          + ") SELECT "
          + values
          + " FROM "
          + table.qualifiedName()
          // A locking read waits for a write in flight and reads its committed row, which its
          // trigger logged at a lower id; a plain read could log an older row after it.
          + (postgresql ? "" : " LOCK IN SHARE MODE");
    }

    /** True when OLD and NEW have another key: the condition as the database writes it. */
    private String keyChanged() {
      List<String> parts = new ArrayList<>();
      for (String key : settings.key()) {
        String column = table.quote(table.column(key, "key column").name());
        parts.add(
            postgresql
                ? "OLD." + column + " IS DISTINCT FROM NEW." + column
                : "NOT (OLD." + column + " <=> NEW." + column + ")");
      }
      return String.join(" OR ", parts);
    }

    private List<String> postgresqlCreates() {
      String body =
          // As its owner, with only the system schemas in its path: writers need no grant on the
          // log, and their search_path cannot send their changes elsewhere.
          "CREATE OR REPLACE FUNCTION "
              + function
              + "() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER"
              + " SET search_path = pg_catalog, pg_temp AS $conform$\n"
              + "BEGIN\n"
              + "  IF TG_OP = 'DELETE' THEN\n"
              + "    "
              + insert("D", "OLD")
              + ";\n"
              + "    RETURN OLD;\n"
              + "  END IF;\n"
              + "  IF TG_OP = 'UPDATE' AND ("
              + keyChanged()
              + ") THEN\n"
              + "    "
              + insert("D", "OLD")
              + ";\n"
              + "    "
              + insert("I", "NEW")
              + ";\n"
              + "  ELSIF TG_OP = 'UPDATE' THEN\n"
              + "    "
              + insert("U", "NEW")
              + ";\n"
              + "  ELSE\n"
              + "    "
              + insert("I", "NEW")
              + ";\n"
              + "  END IF;\n"
              + "  RETURN NEW;\n"
              + "END\n"
              + "$conform$";
      String trigger =
          "CREATE TRIGGER "
              + table.quote(triggerName())
              + " AFTER INSERT OR UPDATE OR DELETE ON "
              + table.qualifiedName()
              + " FOR EACH ROW EXECUTE FUNCTION "
              + function
              + "()";
      return List.of(body, trigger);
    }

    private List<String> mysqlCreates() {
      String on = " ON " + table.qualifiedName() + " FOR EACH ROW";
      List<String> creates = new ArrayList<>();
      for (String event : EVENTS) {
        String head =
            "CREATE TRIGGER "
                + mysqlTrigger(event)
                + " AFTER "
                + event.toUpperCase(java.util.Locale.ROOT)
                + on;
        switch (event) {
          case "delete" -> creates.add(head + "\n  " + insert("D", "OLD"));
          case "insert" -> creates.add(head + "\n  " + insert("I", "NEW"));
          default ->
              creates.add(
                  head
                      + "\nBEGIN\n"
                      + "  IF "
                      + keyChanged()
                      + " THEN\n"
                      + "    "
                      + insert("D", "OLD")
                      + ";\n"
                      + "    "
                      + insert("I", "NEW")
                      + ";\n"
                      + "  ELSE\n"
                      + "    "
                      + insert("U", "NEW")
                      + ";\n"
                      + "  END IF;\n"
                      + "END");
        }
      }
      return creates;
    }
  }
}
