package dev.conform.cdc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The store of a snapshot_diff capture: an embedded DuckDB database, {@value #FILE} in the
 * capture's folder, that keeps for each snapshot only the key and a 128-bit hash of every row, in a
 * table {@code snapshot_<generation>_<number>}. A snapshot being compared is staged there in full
 * (all values as text, in table {@value #STAGED}), the changes gathered in {@value #CHANGES}, and
 * both dropped once the landing file is written; DuckDB does the comparison and spills to disk, so
 * no snapshot is held in Java's memory.
 *
 * <p>The row hash is DuckDB's {@code md5_number} (the MD5 digest as a 128-bit number) of the UTF-8
 * encoding of the non-key values in column order, each written as {@code N} when NULL, else as
 * {@code S}, its length in UTF-8 bytes, {@code :}, and the value's text: so NULL differs from '',
 * and no value can pass for two. It depends on nothing but the values' text.
 */
final class SnapshotStore implements AutoCloseable {
  /** The store's database file in the capture's folder. */
  static final String FILE = "snapshots.duckdb";

  /** The snapshot being compared, all of its values as text in columns c1, c2, ... */
  static final String STAGED = "staged";

  /**
   * The changes found this capture: the source's columns, then change_op, change_at and
   * change_position.
   */
  static final String CHANGES = "changes";

  /** The keys that changed between snapshots of runs that did not commit (k1, k2, ...). */
  static final String TOUCHED = "touched";

  /** The keys of {@value #TOUCHED} the comparison with the stored snapshot did not give. */
  static final String RESTATED = "restated";

  private static final String PREFIX = "snapshot_";

  private final DuckDBConnection connection;
  private final Path file;

  private SnapshotStore(DuckDBConnection connection, Path file) {
    this.connection = connection;
    this.file = file;
  }

  /** Opens (or creates) the store in {@code folder}; {@code where} names the source in messages. */
  static SnapshotStore open(Path folder, String where) {
    Path file = folder.resolve(FILE).toAbsolutePath();
    requireDuckDb(where);
    try {
      Files.createDirectories(folder);
      Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
      try (Statement statement = connection.createStatement()) {
        // Landing rows need no order, and an unordered copy needs far less memory.
        statement.execute("SET preserve_insertion_order = false");
        statement.execute("SET TimeZone = 'UTC'");
      }
      return new SnapshotStore(connection.unwrap(DuckDBConnection.class), file);
    } catch (IOException | SQLException e) {
      throw new ExtractFailure(
          "Cannot capture "
              + where
              + ": cannot open its snapshot store "
              + file
              + ": "
              + message(e)
              + "; nothing was loaded and its snapshot did not move",
          e);
    }
  }

  /**
   * Fails clearly where embedded DuckDB is not on the class path: the spark-submit jar leaves its
   * native libraries out, since Spark does not need them.
   */
  static void requireDuckDb(String where) {
    try {
      Class.forName("org.duckdb.DuckDBDriver");
    } catch (ClassNotFoundException e) {
      throw new ExtractFailure(
          "Cannot capture "
              + where
              + ": snapshot_diff compares snapshots in embedded DuckDB, which is not on the class"
              + " path (the spark-submit jar leaves it out); add the duckdb_jdbc jar, e.g."
              + " spark-submit --jars duckdb_jdbc.jar",
          e);
    }
  }

  Path file() {
    return file;
  }

  Connection connection() {
    return connection;
  }

  /** The table that keeps the keys and hashes of snapshot {@code number} of {@code generation}. */
  static String table(long generation, long number) {
    return PREFIX + generation + "_" + number;
  }

  /** Creates the empty staging table of {@code columns} text columns, replacing a leftover. */
  void createStaged(int columns) throws SQLException {
    StringJoiner list = new StringJoiner(", ");
    for (int i = 1; i <= columns; i++) {
      list.add("c" + i + " VARCHAR");
    }
    execute("CREATE OR REPLACE TABLE " + STAGED + " (" + list + ")");
  }

  /** An appender that adds rows to the staging table; the caller closes it. */
  DuckDBAppender stagedAppender() throws SQLException {
    return connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, STAGED);
  }

  /** Creates the empty table of changes for {@code columns} source columns. */
  void createChanges(int columns) throws SQLException {
    StringJoiner list = new StringJoiner(", ");
    for (int i = 1; i <= columns; i++) {
      list.add("c" + i + " VARCHAR");
    }
    list.add("change_op VARCHAR").add("change_at VARCHAR").add("change_position VARCHAR");
    execute("CREATE OR REPLACE TABLE " + CHANGES + " (" + list + ")");
  }

  /** How many keys the staged snapshot holds more than once, and up to {@code limit} of them. */
  Duplicates duplicates(int[] keys, int limit) throws SQLException {
    StringJoiner group = new StringJoiner(", ");
    for (int key : keys) {
      group.add("c" + (key + 1));
    }
    String duplicated =
        "SELECT " + group + " FROM " + STAGED + " GROUP BY " + group + " HAVING count(*) > 1";
    long count;
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT count(*) FROM (" + duplicated + ")")) {
      result.next();
      count = result.getLong(1);
    }
    List<List<String>> examples = new ArrayList<>();
    if (count > 0) {
      try (Statement statement = connection.createStatement();
          ResultSet result =
              statement.executeQuery(duplicated + " ORDER BY " + group + " LIMIT " + limit)) {
        while (result.next()) {
          List<String> values = new ArrayList<>();
          for (int i = 1; i <= keys.length; i++) {
            values.add(result.getString(i));
          }
          examples.add(values);
        }
      }
    }
    return new Duplicates(count, examples);
  }

  /** Keys found more than once in one snapshot: how many, and the first few. */
  record Duplicates(long count, List<List<String>> examples) {}

  /**
   * Keeps the staged snapshot's keys and row hashes as {@code table} (replacing a leftover of a
   * crashed run); {@code keys} are the indexes of the key columns among the {@code columns}.
   */
  void keep(String table, int[] keys, int columns) throws SQLException {
    drop(table);
    StringJoiner select = new StringJoiner(", ");
    for (int i = 0; i < keys.length; i++) {
      select.add("c" + (keys[i] + 1) + " AS k" + (i + 1));
    }
    select.add(hash(keys, columns, "") + " AS row_hash");
    execute("CREATE TABLE " + table + " AS SELECT " + select + " FROM " + STAGED);
  }

  /**
   * Adds to the changes what turned {@code previous} (none: an empty snapshot) into the staged
   * snapshot, whose hashes {@code current} keeps: its rows whose key is new (inserts) or whose hash
   * differs (updates), with their values; and the keys only in {@code previous} (deletes), with
   * only their key values.
   */
  void compare(
      Optional<String> previous, String current, int[] keys, int columns, String at, long position)
      throws SQLException {
    String stamp = ", " + literal(at) + ", " + literal(Long.toString(position));
    StringJoiner values = new StringJoiner(", ");
    for (int i = 1; i <= columns; i++) {
      values.add("s.c" + i);
    }
    if (previous.isEmpty()) {
      execute(
          "INSERT INTO "
              + CHANGES
              + " SELECT "
              + values
              + ", 'insert'"
              + stamp
              + " FROM "
              + STAGED
              + " s");
      return;
    }
    StringJoiner stagedKeys = new StringJoiner(" AND ");
    StringJoiner keptKeys = new StringJoiner(" AND ");
    for (int i = 0; i < keys.length; i++) {
      stagedKeys.add("s.c" + (keys[i] + 1) + " IS NOT DISTINCT FROM p.k" + (i + 1));
      keptKeys.add("s.k" + (i + 1) + " IS NOT DISTINCT FROM p.k" + (i + 1));
    }
    execute(
        "INSERT INTO "
            + CHANGES
            + " SELECT "
            + values
            + ", CASE WHEN p.row_hash IS NULL THEN 'insert' ELSE 'update' END"
            + stamp
            + " FROM "
            + STAGED
            + " s LEFT JOIN "
            + previous.get()
            + " p ON "
            + stagedKeys
            + " WHERE p.row_hash IS NULL OR p.row_hash <> "
            + hash(keys, columns, "s."));
    StringJoiner deleted = new StringJoiner(", ");
    for (int i = 0; i < columns; i++) {
      int key = indexOf(keys, i);
      deleted.add(key < 0 ? "NULL" : "p.k" + (key + 1));
    }
    execute(
        "INSERT INTO "
            + CHANGES
            + " SELECT "
            + deleted
            + ", 'delete'"
            + stamp
            + " FROM "
            + previous.get()
            + " p ANTI JOIN "
            + current
            + " s ON "
            + keptKeys);
  }

  /**
   * The numbers of the snapshots of {@code generation} after {@code number}, in order: those runs
   * took that did not commit (each table is created whole by one statement, so a run killed while
   * it wrote one left none).
   */
  List<Long> after(long generation, long number) throws SQLException {
    String prefix = PREFIX + generation + "_";
    List<Long> numbers = new ArrayList<>();
    for (String table : snapshotTables()) {
      if (table.startsWith(prefix)) {
        try {
          long found = Long.parseLong(table.substring(prefix.length()));
          if (found > number) {
            numbers.add(found);
          }
        } catch (NumberFormatException e) {
          // Not a snapshot of this generation (snapshot_1_2 of generation 1 vs snapshot_11_2).
        }
      }
    }
    numbers.sort(null);
    return numbers;
  }

  /** Creates the empty table of touched keys, for {@code keys} key columns. */
  void createTouched(int keys) throws SQLException {
    StringJoiner list = new StringJoiner(", ");
    for (int i = 1; i <= keys; i++) {
      list.add("k" + i + " VARCHAR");
    }
    execute("CREATE OR REPLACE TABLE " + TOUCHED + " (" + list + ")");
  }

  /**
   * Adds to the touched keys those whose row differs between the kept snapshots {@code older} and
   * {@code newer}: new, changed or gone.
   */
  void touch(String older, String newer, int keys) throws SQLException {
    StringJoiner list = new StringJoiner(", ");
    for (int i = 1; i <= keys; i++) {
      list.add("k" + i);
    }
    String rows = list + ", row_hash";
    execute(
        "INSERT INTO "
            + TOUCHED
            + " SELECT "
            + list
            + " FROM ((SELECT "
            + rows
            + " FROM "
            + older
            + " EXCEPT SELECT "
            + rows
            + " FROM "
            + newer
            + ") UNION ALL (SELECT "
            + rows
            + " FROM "
            + newer
            + " EXCEPT SELECT "
            + rows
            + " FROM "
            + older
            + "))");
  }

  /**
   * Adds to the changes, for each touched key they do not hold yet, the key as it is in the staged
   * snapshot (kept as {@code current}): an update with its values, or a delete when it is gone;
   * returns how many keys that is.
   */
  long restate(String current, int[] keys, int columns, String at, long position)
      throws SQLException {
    StringJoiner list = new StringJoiner(", ");
    StringJoiner inChanges = new StringJoiner(" AND ");
    StringJoiner inStaged = new StringJoiner(" AND ");
    StringJoiner inCurrent = new StringJoiner(" AND ");
    for (int i = 0; i < keys.length; i++) {
      String k = "k" + (i + 1);
      list.add(k);
      inChanges.add("c.c" + (keys[i] + 1) + " IS NOT DISTINCT FROM t." + k);
      inStaged.add("s.c" + (keys[i] + 1) + " IS NOT DISTINCT FROM r." + k);
      inCurrent.add("s." + k + " IS NOT DISTINCT FROM r." + k);
    }
    execute(
        "CREATE OR REPLACE TABLE "
            + RESTATED
            + " AS SELECT DISTINCT "
            + list
            + " FROM "
            + TOUCHED
            + " t WHERE NOT EXISTS (SELECT 1 FROM "
            + CHANGES
            + " c WHERE "
            + inChanges
            + ")");
    String stamp = ", " + literal(at) + ", " + literal(Long.toString(position));
    StringJoiner values = new StringJoiner(", ");
    StringJoiner deleted = new StringJoiner(", ");
    for (int i = 0; i < columns; i++) {
      values.add("s.c" + (i + 1));
      int key = indexOf(keys, i);
      deleted.add(key < 0 ? "NULL" : "r.k" + (key + 1));
    }
    execute(
        "INSERT INTO "
            + CHANGES
            + " SELECT "
            + values
            + ", 'update'"
            + stamp
            + " FROM "
            + STAGED
            + " s SEMI JOIN "
            + RESTATED
            + " r ON "
            + inStaged);
    execute(
        "INSERT INTO "
            + CHANGES
            + " SELECT "
            + deleted
            + ", 'delete'"
            + stamp
            + " FROM "
            + RESTATED
            + " r ANTI JOIN "
            + current
            + " s ON "
            + inCurrent);
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT count(*) FROM " + RESTATED)) {
      result.next();
      return result.getLong(1);
    }
  }

  /** The changes gathered so far: inserts, updates and deletes. */
  Counts counts() throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT count(*) FILTER (WHERE change_op = 'insert'), count(*) FILTER (WHERE"
                    + " change_op = 'update'), count(*) FILTER (WHERE change_op = 'delete') FROM "
                    + CHANGES)) {
      result.next();
      return new Counts(result.getLong(1), result.getLong(2), result.getLong(3));
    }
  }

  /** How many rows a comparison inserted, updated and deleted. */
  record Counts(long inserted, long updated, long deleted) {
    long total() {
      return inserted + updated + deleted;
    }
  }

  /**
   * Writes the changes to {@code landing} as newline-delimited JSON objects: the source's columns
   * named {@code names}, then {@code changeColumns}, every value text or null.
   */
  void writeLanding(Path landing, List<String> names, List<String> changeColumns)
      throws SQLException {
    StringJoiner select = new StringJoiner(", ");
    for (int i = 0; i < names.size(); i++) {
      select.add("c" + (i + 1) + " AS " + identifier(names.get(i)));
    }
    select.add("change_op AS " + identifier(changeColumns.get(0)));
    select.add("change_at AS " + identifier(changeColumns.get(1)));
    select.add("change_position AS " + identifier(changeColumns.get(2)));
    execute(
        "COPY (SELECT "
            + select
            + " FROM "
            + CHANGES
            + ") TO "
            + literal(landing.toAbsolutePath().toString())
            + " (FORMAT JSON)");
  }

  /** The snapshot tables the store holds. */
  List<String> snapshotTables() throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'"
                    + " ORDER BY table_name")) {
      while (result.next()) {
        String name = result.getString(1);
        if (name.startsWith(PREFIX)) {
          tables.add(name);
        }
      }
    }
    return tables;
  }

  boolean exists(String table) throws SQLException {
    return snapshotTables().contains(table);
  }

  /** Drops the snapshots of {@code generation}: what a crashed run of it left. */
  void dropGeneration(long generation) throws SQLException {
    for (String table : snapshotTables()) {
      if (table.startsWith(PREFIX + generation + "_")) {
        drop(table);
      }
    }
  }

  /** Drops every snapshot but {@code kept}, and what a capture staged. */
  void keepOnly(Optional<String> kept) throws SQLException {
    for (String table : snapshotTables()) {
      if (kept.isEmpty() || !kept.get().equals(table)) {
        drop(table);
      }
    }
    dropWork();
  }

  /** Drops the staged snapshot, the changes and the touched keys: a capture's work tables. */
  void dropWork() throws SQLException {
    drop(STAGED);
    drop(CHANGES);
    drop(TOUCHED);
    drop(RESTATED);
  }

  void drop(String table) throws SQLException {
    execute("DROP TABLE IF EXISTS " + table);
  }

  void execute(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /** The row hash of the staged columns {@code c1..cn} that are not keys; see the class comment. */
  private static String hash(int[] keys, int columns, String qualifier) {
    StringJoiner parts = new StringJoiner(" || ");
    for (int i = 0; i < columns; i++) {
      if (indexOf(keys, i) < 0) {
        String column = qualifier + "c" + (i + 1);
        parts.add(
            "CASE WHEN "
                + column
                + " IS NULL THEN 'N' ELSE 'S' || CAST(strlen("
                + column
                + ") AS VARCHAR) || ':' || "
                + column
                + " END");
      }
    }
    return "md5_number(" + (parts.length() == 0 ? "''" : parts.toString()) + ")";
  }

  private static int indexOf(int[] keys, int column) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] == column) {
        return i;
      }
    }
    return -1;
  }

  static String identifier(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  static String literal(String value) {
    return '\'' + value.replace("'", "''") + '\'';
  }

  /** The first line of an engine's message (DuckDB adds the statement on later lines). */
  static String message(Exception e) {
    String text = Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName()).strip();
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline).strip();
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // Closing only releases the file; what the capture wrote is already committed.
    }
  }
}
