package dev.conform.catalog;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings a catalog's schema to the version this Conform knows, one script per version, each script
 * and its version row in one transaction.
 *
 * <p>Databases with transactional DDL roll a failed script back whole; H2 commits DDL implicitly,
 * so scripts are written to be safe to repeat, and the version row is written last.
 */
final class SchemaMigrator {
  /** The migrations in version order; a version is never edited once released, only added. */
  static final List<Migration> MIGRATIONS =
      List.of(new Migration(1, "runs and source state", "V1__runs_and_source_state.sql"));

  private static final String RESOURCE_FOLDER = "migration/";

  private SchemaMigrator() {}

  /** One schema version: its number, a description and the script that creates it. */
  record Migration(int version, String description, String resource) {
    Migration {
      requireNonNull(description, "description is null");
      requireNonNull(resource, "resource is null");
    }
  }

  static int latestVersion() {
    return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
  }

  /**
   * Applies every migration newer than the catalog's version and returns the resulting version.
   * Refuses a catalog written by a newer Conform.
   */
  static int migrate(Connection connection, String catalogName) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE IF NOT EXISTS conform_schema_version ("
              + " version INT NOT NULL PRIMARY KEY,"
              + " description VARCHAR(256) NOT NULL,"
              + " applied_at TIMESTAMP(6) WITH TIME ZONE NOT NULL)");
    }
    connection.commit();
    int current = currentVersion(connection);
    if (current > latestVersion()) {
      throw new CatalogException(
          "Cannot open catalog "
              + catalogName
              + ": its schema is version "
              + current
              + " but this Conform knows versions up to "
              + latestVersion()
              + "; it was written by a newer Conform. Upgrade Conform, or point the project at"
              + " another catalog.");
    }
    for (Migration migration : MIGRATIONS) {
      if (migration.version() > current) {
        apply(connection, migration, catalogName);
        current = migration.version();
      }
    }
    return current;
  }

  static int currentVersion(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT COALESCE(MAX(version), 0) FROM conform_schema_version")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private static void apply(Connection connection, Migration migration, String catalogName)
      throws SQLException {
    try {
      try (Statement statement = connection.createStatement()) {
        for (String sql : statements(migration)) {
          statement.execute(sql);
        }
      }
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO conform_schema_version (version, description, applied_at)"
                  + " VALUES (?, ?, ?)")) {
        insert.setInt(1, migration.version());
        insert.setString(2, migration.description());
        insert.setObject(3, OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC));
        insert.executeUpdate();
      }
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw new CatalogException(
          "Cannot migrate catalog "
              + catalogName
              + " to schema version "
              + migration.version()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** The statements of a script: `--` comment lines dropped, split at a `;` that ends a line. */
  static List<String> statements(Migration migration) {
    String script = read(migration.resource());
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("--") || trimmed.isEmpty()) {
        continue;
      }
      if (trimmed.endsWith(";")) {
        current.append(trimmed, 0, trimmed.length() - 1);
        statements.add(current.toString());
        current.setLength(0);
      } else {
        current.append(trimmed).append('\n');
      }
    }
    if (!current.toString().isBlank()) {
      statements.add(current.toString());
    }
    return List.copyOf(statements);
  }

  private static String read(String resource) {
    try (InputStream in = SchemaMigrator.class.getResourceAsStream(RESOURCE_FOLDER + resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "Cannot find migration " + resource + " on the class path; this is a bug in Conform");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read migration " + resource, e);
    }
  }
}
