package dev.conform.runtime.jdbc;

import dev.conform.spi.Column;
import dev.conform.spi.DataType;
import dev.conform.spi.LoadCounts;
import dev.conform.spi.SourceData;
import dev.conform.spi.SqlDialect;
import dev.conform.spi.Step;
import dev.conform.spi.WarehouseConnection;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The engine-specific parts of the JDBC runtime: opening a session, loading sources into staging,
 * reading the catalog and mapping engine types. {@link JdbcRuntime} runs steps, transactions and
 * metrics the same way on every engine and asks its dialect for the rest.
 *
 * <p>Methods other than {@link #open} receive the runtime's connection and must not close it or
 * change its transaction mode.
 */
interface EngineDialect {

  /** The warehouse connection type this dialect serves, e.g. {@code duckdb}. */
  String connectionType();

  /** The dialect the planner renders for this engine. */
  SqlDialect sqlDialect();

  /**
   * Opens a session with the engine and applies the connection's settings.
   *
   * @throws dev.conform.spi.RuntimeFailure naming the connection (without secrets) and a fix
   */
  Connection open(WarehouseConnection connection);

  /**
   * Loads a source into the step's staging and reject tables.
   *
   * @throws dev.conform.spi.RuntimeFailure for problems with the source itself (missing file or
   *     column)
   * @throws SQLException when the engine fails
   */
  LoadCounts load(Connection connection, Step.LoadSource step) throws SQLException;

  /** The columns and types the engine sees in a source. */
  List<Column> describe(Connection connection, SourceData data) throws SQLException;

  /** The columns of a table, matched case-insensitively, or empty when there is none. */
  Optional<List<Column>> tableColumns(Connection connection, String table) throws SQLException;

  /** Conform's type for an engine type name as the engine spells it, e.g. {@code DECIMAL(12,2)}. */
  DataType typeOf(String engineType);

  /** The session's temporary tables and views, by name: true for a view. */
  Map<String, Boolean> temporaryRelations(Connection connection) throws SQLException;

  /** Drops a temporary table, or a view when {@code view}, if it exists. */
  void dropTemporary(Connection connection, String name, boolean view) throws SQLException;
}
