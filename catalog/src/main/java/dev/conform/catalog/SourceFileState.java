package dev.conform.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The SQL behind per-source file state: which version of which file a committed run processed. */
final class SourceFileState {
  private SourceFileState() {}

  static Map<String, ProcessedFile> processedFiles(Connection connection, String source)
      throws SQLException {
    Map<String, ProcessedFile> files = new LinkedHashMap<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT path, size_bytes, last_modified_millis, run_id FROM conform_source_file"
                + " WHERE source = ? ORDER BY path")) {
      select.setString(1, source);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          String path = rows.getString(1);
          files.put(
              path,
              new ProcessedFile(
                  new FileStamp(path, rows.getLong(2), rows.getLong(3)), rows.getLong(4)));
        }
      }
    }
    return Collections.unmodifiableMap(files);
  }

  /**
   * Records {@code files} as processed by {@code runId}, replacing the stamps of paths seen before.
   * A path listed twice violates the primary key: that is a caller bug, and the transaction fails.
   */
  static void record(Connection connection, long runId, String source, List<FileStamp> files)
      throws SQLException {
    try (PreparedStatement delete =
            connection.prepareStatement(
                "DELETE FROM conform_source_file WHERE source = ? AND path = ?");
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO conform_source_file"
                    + " (source, path, size_bytes, last_modified_millis, run_id)"
                    + " VALUES (?, ?, ?, ?, ?)")) {
      for (FileStamp file : files) {
        delete.setString(1, source);
        delete.setString(2, file.path());
        delete.addBatch();
        insert.setString(1, source);
        insert.setString(2, file.path());
        insert.setLong(3, file.sizeBytes());
        insert.setLong(4, file.lastModifiedMillis());
        insert.setLong(5, runId);
        insert.addBatch();
      }
      delete.executeBatch();
      insert.executeBatch();
    }
  }

  static int forget(Connection connection, String source) throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM conform_source_file WHERE source = ?")) {
      delete.setString(1, source);
      return delete.executeUpdate();
    }
  }
}
