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
      Optional<SourceTable> log = existingLog(connection);
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
      boolean installed = installed(connection, table);
      if (installed && !replace) {
        return new Result(Outcome.ALREADY_INSTALLED, List.of(), List.of(), uncopied);
      }
      Sql sql = new Sql(table, copied);
      List<String> statements = new ArrayList<>();
      List<String> created = new ArrayList<>();
      List<String> undo = new ArrayList<>();
      if (log.isEmpty()) {
        statements.add(sql.createLog(tracked));
        created.add("table " + settings.logTable());
        undo.add("DROP TABLE " + sql.log);
      }
      if (replace) {
        statements.addAll(sql.drops());
      }
      statements.addAll(sql.creates());
      created.addAll(sql.createdObjects());
      if (log.isEmpty()) {
        // A new log starts with the table as it is, so the first run loads every row. PostgreSQL
        // seeds in the transaction whose CREATE TRIGGER keeps writers out until it commits;
        // MariaDB and MySQL seed after their triggers exist, so a change made meanwhile is logged
        // by a trigger and nets with the seed row to the row's latest values.
        statements.add(sql.seed());
        created.add("log rows for the table's current rows (as inserts)");
      }
      undo.addAll(sql.drops());
      if (dryRun) {
        return new Result(Outcome.PLANNED, created, statements, uncopied);
      }
      execute(connection, statements, installed ? List.of() : undo);
      return new Result(
          installed ? Outcome.REPLACED : Outcome.INSTALLED, created, statements, uncopied);
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

  /** Runs {@code statements}; on failure rolls back, or runs {@code undo} where DDL commits. */
  private void execute(Connection connection, List<String> statements, List<String> undo)
      throws SQLException {
    try (Statement statement = connection.createStatement()) {
      try {
        for (String sql : statements) {
          statement.execute(sql);
        }
        connection.commit();
      } catch (SQLException e) {
        connection.rollback();
        if (!postgresql) {
          for (int i = undo.size() - 1; i >= 0; i--) {
            String sql = undo.get(i);
            try {
              statement.execute(sql.replaceFirst("^DROP (TABLE|TRIGGER) ", "DROP $1 IF EXISTS "));
            } catch (SQLException ignored) {
              // Best effort: the failure to report is the first one.
            }
          }
        }
        throw e;
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

  /** The log table when it exists. */
  private Optional<SourceTable> existingLog(Connection connection) throws SQLException {
    try {
      return Optional.of(
          SourceTable.resolve(connection, request, settings.logTable(), "change log table", ""));
    } catch (ExtractFailure e) {
      return Optional.empty();
    }
  }

  /** True when a trigger of this log is on the table already. */
  private boolean installed(Connection connection, SourceTable table) throws SQLException {
    String query =
        postgresql
            ? "SELECT count(*) FROM pg_trigger WHERE tgrelid = ?::regclass AND tgname = ?"
            : "SELECT count(*) FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA ="
                + " COALESCE(?, DATABASE()) AND EVENT_OBJECT_TABLE = ? AND TRIGGER_NAME LIKE ?";
    try (PreparedStatement statement = connection.prepareStatement(query)) {
      if (postgresql) {
        statement.setString(1, qualified(table, table.schemaName(), table.tableName()));
        statement.setString(2, triggerName());
      } else {
        statement.setString(1, table.schemaName());
        statement.setString(2, table.tableName());
        statement.setString(3, triggerName().replace("_", "\\_") + "\\_%");
      }
      try (ResultSet result = statement.executeQuery()) {
        return result.next() && result.getLong(1) > 0;
      }
    }
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
      String logSchema = settings.logTableSchema();
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
                + Optional.ofNullable(settings.logTableSchema()).map(s -> s + ".").orElse("")
                + triggerName()
                + "()",
            "trigger " + triggerName() + " on " + request.table());
      }
      List<String> objects = new ArrayList<>();
      for (String event : List.of("insert", "update", "delete")) {
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
        // SYSDATE is the time the row changed, not the time its statement started.
        names.append(", ").append(table.quote(settings.timeColumn()));
        values.append(", CONVERT_TZ(SYSDATE(6), @@session.time_zone, '+00:00')");
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
          + table.qualifiedName();
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
          "CREATE FUNCTION "
              + function
              + "() RETURNS trigger LANGUAGE plpgsql AS $conform$\n"
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
      return List.of(
          "CREATE TRIGGER "
              + mysqlTrigger("insert")
              + " AFTER INSERT"
              + on
              + "\n  "
              + insert("I", "NEW"),
          "CREATE TRIGGER "
              + mysqlTrigger("update")
              + " AFTER UPDATE"
              + on
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
              + "END",
          "CREATE TRIGGER "
              + mysqlTrigger("delete")
              + " AFTER DELETE"
              + on
              + "\n  "
              + insert("D", "OLD"));
    }
  }
}
