package dev.conform.runtime.jdbc;

import static dev.conform.runtime.jdbc.SqlText.identifier;
import static dev.conform.runtime.jdbc.SqlText.literal;

import dev.conform.spi.Column;
import dev.conform.spi.DataType;
import dev.conform.spi.DuckDbTypeNames;
import dev.conform.spi.LoadCounts;
import dev.conform.spi.RuntimeFailure;
import dev.conform.spi.SourceData;
import dev.conform.spi.SqlDialect;
import dev.conform.spi.Step;
import dev.conform.spi.WarehouseConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** DuckDB, embedded: reads CSV, Parquet and JSON files natively. */
final class DuckDbDialect implements EngineDialect {
  private static final Logger LOG = LoggerFactory.getLogger(DuckDbDialect.class);
  private static final String URL_PREFIX = "jdbc:duckdb:";
  private static final Pattern SETTING_NAME = Pattern.compile("[a-z][a-z0-9_]*");

  @Override
  public String connectionType() {
    return "duckdb";
  }

  @Override
  public SqlDialect sqlDialect() {
    return SqlDialect.DUCKDB;
  }

  @Override
  public Connection open(WarehouseConnection warehouse) {
    String prefix = "Cannot open warehouse " + warehouse;
    if (!warehouse.url().startsWith(URL_PREFIX)) {
      throw new RuntimeFailure(
          prefix
              + ": a duckdb url starts with '"
              + URL_PREFIX
              + "', e.g. jdbc:duckdb:/path/warehouse.duckdb",
          null);
    }
    Optional<Path> file = databaseFile(warehouse.url());
    if (file.isPresent()) {
      Path parent = file.get().toAbsolutePath().getParent();
      try {
        if (parent != null) {
          Files.createDirectories(parent);
        }
      } catch (IOException e) {
        throw new RuntimeFailure(
            prefix + ": cannot create the folder " + parent + " (" + e.getMessage() + ")", e);
      }
    }
    Connection connection;
    try {
      connection = DriverManager.getConnection(warehouse.url());
    } catch (SQLException e) {
      throw new RuntimeFailure(prefix + ": " + openProblem(e), e);
    }
    DuckDbSettings settings = DuckDbSettings.of(file, warehouse.properties());
    try (Statement statement = connection.createStatement()) {
      for (Map.Entry<String, String> setting : settings.values().entrySet()) {
        if (!SETTING_NAME.matcher(setting.getKey()).matches()) {
          throw new RuntimeFailure(
              prefix + ": invalid setting name '" + setting.getKey() + "'", null);
        }
        try {
          statement.execute("SET " + setting.getKey() + " = " + literal(setting.getValue()));
        } catch (SQLException e) {
          throw new RuntimeFailure(
              prefix
                  + ": invalid setting "
                  + setting.getKey()
                  + "="
                  + setting.getValue()
                  + " ("
                  + SqlText.engineMessage(e)
                  + "); fix or remove the property",
              e);
        }
      }
    } catch (SQLException | RuntimeException e) {
      closeQuietly(connection, e);
      if (e instanceof RuntimeFailure failure) {
        throw failure;
      }
      throw new RuntimeFailure(prefix + ": " + SqlText.engineMessage(e), e);
    }
    LOG.debug("Opened {} with settings {}", warehouse, settings.values().keySet());
    return connection;
  }

  /** The database file a url names, or empty for an in-memory database. */
  static Optional<Path> databaseFile(String url) {
    String rest = url.substring(URL_PREFIX.length());
    int query = rest.indexOf('?');
    if (query >= 0) {
      rest = rest.substring(0, query);
    }
    if (rest.isEmpty() || rest.startsWith(":memory:") || rest.startsWith("md:")) {
      return Optional.empty();
    }
    return Optional.of(Path.of(rest));
  }

  private static String openProblem(SQLException e) {
    String message = SqlText.engineMessage(e);
    if (message.contains("Could not set lock")) {
      return "the database file is in use by another process; close it and run again";
    }
    if (message.contains("not a valid DuckDB database file")) {
      return "the file is not a DuckDB database; point the url at a DuckDB file or a new path";
    }
    if (message.contains("different configuration")) {
      return "the database is already open in this process with other settings; use the same"
          + " properties for every connection to it";
    }
    return message + "; check the url and that the file is readable and writable";
  }

  private static void closeQuietly(Connection connection, Exception failure) {
    try {
      connection.close();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  @Override
  public LoadCounts load(Connection connection, Step.LoadSource step) throws SQLException {
    return new DuckDbSourceLoader(connection).load(step);
  }

  @Override
  public List<Column> describe(Connection connection, SourceData data) throws SQLException {
    if (data instanceof SourceData.InlineRows rows) {
      return rows.columns().stream().map(name -> Column.of(name, DataType.STRING)).toList();
    }
    DuckDbFileScan scan = DuckDbFileScan.of((SourceData.Files) data, "Cannot describe files");
    List<Column> columns = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("DESCRIBE SELECT * FROM " + scan.detectingScan())) {
      while (rs.next()) {
        columns.add(Column.of(rs.getString("column_name"), typeOf(rs.getString("column_type"))));
      }
    } catch (SQLException e) {
      throw scan.failure(SqlText.engineMessage(e), e);
    }
    return columns;
  }

  @Override
  public Optional<List<Column>> tableColumns(Connection connection, String table)
      throws SQLException {
    int dot = table.lastIndexOf('.');
    String schema = dot < 0 ? null : table.substring(0, dot);
    String name = dot < 0 ? table : table.substring(dot + 1);
    // An unqualified name resolves as DuckDB does: temporary tables first, then the current schema.
    String sql =
        "SELECT table_catalog, table_schema, column_name, data_type"
            + " FROM information_schema.columns"
            + " WHERE lower(table_name) = lower(?)"
            + (schema == null
                ? " AND (table_catalog = 'temp' OR table_schema = current_schema())"
                : " AND lower(table_schema) = lower(?)")
            + " ORDER BY table_catalog = 'temp' DESC, table_catalog = current_database() DESC,"
            + " table_catalog, table_schema, ordinal_position";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, name);
      if (schema != null) {
        statement.setString(2, schema);
      }
      List<Column> columns = new ArrayList<>();
      String owner = null;
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          String thisOwner = rs.getString(1) + "." + rs.getString(2);
          if (owner == null) {
            owner = thisOwner;
          } else if (!owner.equals(thisOwner)) {
            break;
          }
          columns.add(Column.of(rs.getString(3), typeOf(rs.getString(4))));
        }
      }
      return columns.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(columns));
    }
  }

  @Override
  public DataType typeOf(String engineType) {
    return DuckDbTypeNames.typeOf(engineType);
  }

  @Override
  public Map<String, Boolean> temporaryRelations(Connection connection) throws SQLException {
    Map<String, Boolean> relations = new LinkedHashMap<>();
    try (Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT table_name, false FROM duckdb_tables() WHERE temporary UNION ALL"
                    + " SELECT view_name, true FROM duckdb_views() WHERE temporary AND NOT internal")) {
      while (rs.next()) {
        relations.put(rs.getString(1), rs.getBoolean(2));
      }
    }
    return relations;
  }

  @Override
  public void dropTemporary(Connection connection, String name, boolean view) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "DROP " + (view ? "VIEW" : "TABLE") + " IF EXISTS temp.main." + identifier(name));
    }
  }
}
