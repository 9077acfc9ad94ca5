package dev.conform.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The SQL behind per-model incremental state (high-water marks, change-log ids, log positions). */
final class ModelState {
  private ModelState() {}

  static Map<String, String> read(Connection connection, String model) throws SQLException {
    Map<String, String> state = new LinkedHashMap<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT state_key, state_value FROM conform_model_state WHERE model = ?"
                + " ORDER BY state_key")) {
      select.setString(1, model);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          state.put(rows.getString(1), rows.getString(2));
        }
      }
    }
    return Collections.unmodifiableMap(state);
  }

  static void write(Connection connection, long runId, String model, Map<String, String> state)
      throws SQLException {
    try (PreparedStatement delete =
            connection.prepareStatement(
                "DELETE FROM conform_model_state WHERE model = ? AND state_key = ?");
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO conform_model_state (model, state_key, state_value, run_id)"
                    + " VALUES (?, ?, ?, ?)")) {
      for (Map.Entry<String, String> entry : state.entrySet()) {
        delete.setString(1, model);
        delete.setString(2, entry.getKey());
        delete.addBatch();
        insert.setString(1, model);
        insert.setString(2, entry.getKey());
        insert.setString(3, entry.getValue());
        insert.setLong(4, runId);
        insert.addBatch();
      }
      delete.executeBatch();
      insert.executeBatch();
    }
  }

  static int reset(Connection connection, String model) throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM conform_model_state WHERE model = ?")) {
      delete.setString(1, model);
      return delete.executeUpdate();
    }
  }
}
