package dev.conform.cdc;

import dev.conform.dsl.Suggestions;
import dev.conform.spi.Column;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * A source's table in its database: found by the name the spec writes, regardless of case, and
 * described by the database's own metadata. Columns the spec declares are matched the same way and
 * keep their declared types.
 */
final class SourceTable {
  /** How long to wait for a source database to accept a connection. */
  private static final int LOGIN_TIMEOUT_SECONDS = 20;

  private static final Set<String> RELATION_TYPES =
      Set.of(
          "TABLE",
          "BASE TABLE",
          "VIEW",
          "SYSTEM VIEW",
          "MATERIALIZED VIEW",
          "FOREIGN TABLE",
          "PARTITIONED TABLE");

  private final SourceRequest request;
  private final String quote;
  private final String qualifiedName;
  private final List<SourceColumn> tableColumns;
  private final String what;
  private final String[] found;

  private SourceTable(
      SourceRequest request,
      String quote,
      String qualifiedName,
      List<SourceColumn> tableColumns,
      String what,
      String[] found) {
    this.found = found;
    this.request = request;
    this.quote = quote;
    this.qualifiedName = qualifiedName;
    this.tableColumns = tableColumns;
    this.what = what;
  }

  /**
   * Connects to the source's database, read-only, with autocommit off so that drivers stream rows.
   */
  static Connection connect(SourceRequest request) {
    Properties properties = new Properties();
    properties.putAll(request.connection().properties());
    String url = request.connection().url();
    if (url.startsWith("jdbc:mysql:")) {
      // MySQL is reached through the MariaDB driver, which speaks its protocol.
      url = "jdbc:mariadb:" + url.substring("jdbc:mysql:".length());
    }
    // Each driver's own connect timeout: DriverManager's would change the whole JVM's.
    if (url.startsWith("jdbc:postgresql:")) {
      properties.putIfAbsent("connectTimeout", Integer.toString(LOGIN_TIMEOUT_SECONDS));
    } else if (url.startsWith("jdbc:mariadb:")) {
      properties.putIfAbsent("connectTimeout", Integer.toString(LOGIN_TIMEOUT_SECONDS * 1000));
    }
    try {
      Connection connection = DriverManager.getConnection(url, properties);
      try {
        connection.setAutoCommit(false);
      } catch (SQLException e) {
        connection.close();
        throw e;
      }
      try {
        connection.setReadOnly(true);
      } catch (SQLException e) {
        // A hint only; some drivers (DuckDB's) decide it when the database is opened.
      }
      return connection;
    } catch (SQLException e) {
      throw new ExtractFailure(
          "Cannot connect to "
              + request.describe()
              + ": "
              + message(e)
              + "; check that the database is running and the connection's url, user and password"
              + " in conform.yaml",
          e);
    }
  }

  /** Finds the table and its columns; fails with the names there are when something is missing. */
  static SourceTable resolve(Connection connection, SourceRequest request) throws SQLException {
    return resolve(
        connection, request, request.table(), "table", "; check the source's table: in the spec");
  }

  /**
   * Finds table {@code written} of the source's database, which the source reads as {@code what}
   * ("table", "change log table"); {@code hint} ends the message when it is missing and no name is
   * close.
   */
  static SourceTable resolve(
      Connection connection, SourceRequest request, String written, String what, String hint)
      throws SQLException {
    DatabaseMetaData metadata = connection.getMetaData();
    String quote = metadata.getIdentifierQuoteString().strip();
    int dot = written.lastIndexOf('.');
    Optional<String> schema =
        dot < 0 ? Optional.empty() : Optional.of(written.substring(0, dot).strip());
    String name = written.substring(dot + 1).strip();
    String home = Optional.ofNullable(connection.getSchema()).orElse(connection.getCatalog());
    String wantedSchema = schema.orElse(home);
    List<String[]> candidates = new ArrayList<>();
    try (ResultSet tables = metadata.getTables(null, null, "%", null)) {
      while (tables.next()) {
        String type = tables.getString("TABLE_TYPE");
        if (type != null && RELATION_TYPES.contains(type.toUpperCase(Locale.ROOT))) {
          String container =
              Optional.ofNullable(tables.getString("TABLE_SCHEM"))
                  .orElse(tables.getString("TABLE_CAT"));
          candidates.add(new String[] {container, tables.getString("TABLE_NAME")});
        }
      }
    }
    List<String[]> inSchema =
        candidates.stream()
            .filter(c -> wantedSchema == null || wantedSchema.equalsIgnoreCase(c[0]))
            .toList();
    String[] found =
        inSchema.stream()
            .filter(c -> c[1].equals(name))
            .findFirst()
            .or(() -> inSchema.stream().filter(c -> c[1].equalsIgnoreCase(name)).findFirst())
            .orElseThrow(
                () ->
                    new ExtractFailure(
                        "Cannot read "
                            + request.describe()
                            + ": there is no "
                            + what
                            + " '"
                            + name
                            + "'"
                            + (wantedSchema == null ? "" : " in '" + wantedSchema + "'")
                            + Suggestions.closest(name, inSchema.stream().map(c -> c[1]).toList())
                                .map(s -> "; did you mean '" + s + "'?")
                                .orElse(hint),
                        null));
    String qualified =
        (schema.isPresent() && found[0] != null ? quote(quote, found[0]) + "." : "")
            + quote(quote, found[1]);
    List<SourceColumn> columns = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet empty = statement.executeQuery("SELECT * FROM " + qualified + " WHERE 1 = 0")) {
      ResultSetMetaData shape = empty.getMetaData();
      for (int i = 1; i <= shape.getColumnCount(); i++) {
        int jdbcType = shape.getColumnType(i);
        String typeName = Optional.ofNullable(shape.getColumnTypeName(i)).orElse("");
        columns.add(
            new SourceColumn(
                shape.getColumnName(i),
                jdbcType,
                typeName,
                SourceColumn.typeOf(
                    jdbcType, shape.getPrecision(i), shape.getScale(i), shape.isSigned(i))));
      }
    }
    return new SourceTable(
        request,
        quote,
        qualified,
        List.copyOf(columns),
        what.equals("table") ? "its table" : "its " + what + " '" + found[1] + "'",
        found);
  }

  /** This table without the columns named in {@code left}. */
  SourceTable without(java.util.Set<String> left) {
    if (left.isEmpty()) {
      return this;
    }
    return new SourceTable(
        request,
        quote,
        qualifiedName,
        tableColumns.stream().filter(c -> !left.contains(c.name())).toList(),
        what,
        found);
  }

  /** The schema (or catalog) the table was found in, as the database spells it; may be null. */
  String schemaName() {
    return found[0];
  }

  /** The table's name as the database spells it. */
  String tableName() {
    return found[1];
  }

  /** Every column of the table, as its metadata gives them. */
  List<SourceColumn> tableColumns() {
    return tableColumns;
  }

  /** The table's name, quoted for its database and qualified as the spec qualified it. */
  String qualifiedName() {
    return qualifiedName;
  }

  String quote(String identifier) {
    return quote(quote, identifier);
  }

  /** The column the spec calls {@code written}, matched exactly first, then regardless of case. */
  SourceColumn column(String written, String role) {
    return tableColumns.stream()
        .filter(c -> c.name().equals(written))
        .findFirst()
        .or(() -> tableColumns.stream().filter(c -> c.name().equalsIgnoreCase(written)).findFirst())
        .orElseThrow(
            () ->
                new ExtractFailure(
                    "Cannot read "
                        + request.describe()
                        + ": "
                        + what
                        + " has no column '"
                        + written
                        + "' ("
                        + role
                        + ")"
                        + Suggestions.closest(
                                written, tableColumns.stream().map(SourceColumn::name).toList())
                            .map(s -> "; did you mean '" + s + "'?")
                            .orElse(
                                "; its columns are "
                                    + String.join(
                                        ", ",
                                        tableColumns.stream().map(SourceColumn::name).toList())),
                    null));
  }

  /**
   * The columns a load reads: the declared ones, with their declared types and the names the
   * declaration spells, or else all of the table's.
   */
  List<SourceColumn> loadedColumns() {
    if (request.declared().isEmpty()) {
      return tableColumns;
    }
    List<SourceColumn> loaded = new ArrayList<>();
    for (Column declared : request.declared()) {
      SourceColumn column = column(declared.name(), "declared under columns:");
      loaded.add(
          new SourceColumn(column.name(), column.jdbcType(), column.typeName(), declared.type()));
    }
    return List.copyOf(loaded);
  }

  /** The columns of the landing file: the loaded ones, named as the spec names them. */
  List<Column> columns() {
    List<Column> columns = new ArrayList<>();
    List<SourceColumn> loaded = loadedColumns();
    for (int i = 0; i < loaded.size(); i++) {
      String name =
          request.declared().isEmpty() ? loaded.get(i).name() : request.declared().get(i).name();
      columns.add(Column.of(name, loaded.get(i).type()));
    }
    return List.copyOf(columns);
  }

  private static String quote(String quote, String identifier) {
    if (quote.isEmpty()) {
      return identifier;
    }
    return quote + identifier.replace(quote, quote + quote) + quote;
  }

  /** A driver's message with the SQL state, without a stack trace. */
  static String message(SQLException e) {
    String text = Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName()).strip();
    int newline = text.indexOf('\n');
    String line = newline < 0 ? text : text.substring(0, newline).strip();
    // The driver's first sentence says what failed; its advice is Conform's to give.
    int sentence = line.indexOf(". ");
    line = sentence < 0 ? line : line.substring(0, sentence);
    return line.endsWith(".") ? line.substring(0, line.length() - 1) : line;
  }
}
