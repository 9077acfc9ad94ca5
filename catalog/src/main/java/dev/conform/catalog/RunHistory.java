package dev.conform.catalog;

import dev.conform.spi.Metric;
import dev.conform.spi.ModelResult;
import dev.conform.spi.RunResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The SQL behind run history: runs, the models of each run and their counts. */
final class RunHistory {
  /** Longer failure messages are cut to fit the column. */
  static final int MAX_MESSAGE_LENGTH = 100_000;

  private static final String RUN_COLUMNS =
      "run_id, project, runtime, target, status, started_at, ended_at, elapsed_ms, message";

  private RunHistory() {}

  static long insertRun(
      Connection connection,
      String project,
      String runtime,
      String target,
      Instant startedAt,
      List<String> models)
      throws SQLException {
    long runId;
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO conform_run (project, runtime, target, status, started_at)"
                + " VALUES (?, ?, ?, ?, ?)",
            Statement.RETURN_GENERATED_KEYS)) {
      insert.setString(1, project);
      insert.setString(2, runtime);
      insert.setString(3, target);
      insert.setString(4, RunStatus.RUNNING.name());
      insert.setObject(5, timestamp(startedAt));
      insert.executeUpdate();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        keys.next();
        runId = keys.getLong(1);
      }
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO conform_model_run (run_id, model, position) VALUES (?, ?, ?)")) {
      for (int position = 0; position < models.size(); position++) {
        insert.setLong(1, runId);
        insert.setString(2, models.get(position));
        insert.setInt(3, position);
        insert.addBatch();
      }
      insert.executeBatch();
    }
    return runId;
  }

  /**
   * Returns when run {@code runId} started; fails unless it exists and is RUNNING. {@code verb}
   * completes the message.
   */
  static Instant requireRunning(Connection connection, long runId, String verb)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT status, started_at FROM conform_run WHERE run_id = ?")) {
      select.setLong(1, runId);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          throw new CatalogException(
              "Cannot " + verb + " run " + runId + ": the catalog has no such run");
        }
        RunStatus status = RunStatus.valueOf(rows.getString(1));
        if (status != RunStatus.RUNNING) {
          throw new CatalogException(
              "Cannot "
                  + verb
                  + " run "
                  + runId
                  + ": it is "
                  + status
                  + ", and only a RUNNING run can change");
        }
        return rows.getObject(2, OffsetDateTime.class).toInstant();
      }
    }
  }

  static void succeed(Connection connection, long runId, RunResult result, Instant endedAt)
      throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE conform_run SET status = ?, ended_at = ?, elapsed_ms = ? WHERE run_id = ?")) {
      update.setString(1, RunStatus.SUCCEEDED.name());
      update.setObject(2, timestamp(endedAt));
      update.setLong(3, result.elapsed().toMillis());
      update.setLong(4, runId);
      update.executeUpdate();
    }
    try (PreparedStatement updateModel =
            connection.prepareStatement(
                "UPDATE conform_model_run SET elapsed_ms = ? WHERE run_id = ? AND model = ?");
        PreparedStatement insertCount =
            connection.prepareStatement(
                "INSERT INTO conform_model_run_count (run_id, model, metric, count_value)"
                    + " VALUES (?, ?, ?, ?)")) {
      for (ModelResult model : result.models()) {
        updateModel.setLong(1, model.elapsed().toMillis());
        updateModel.setLong(2, runId);
        updateModel.setString(3, model.model());
        if (updateModel.executeUpdate() == 0) {
          throw new CatalogException(
              "Cannot finish run "
                  + runId
                  + ": its result has model '"
                  + model.model()
                  + "', which the run did not start with; this is a bug in Conform");
        }
        for (Map.Entry<Metric, Long> count : model.counts().entrySet()) {
          insertCount.setLong(1, runId);
          insertCount.setString(2, model.model());
          insertCount.setString(3, count.getKey().name());
          insertCount.setLong(4, count.getValue());
          insertCount.addBatch();
        }
      }
      insertCount.executeBatch();
    }
  }

  static void fail(
      Connection connection, long runId, String message, Instant startedAt, Instant endedAt)
      throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE conform_run SET status = ?, ended_at = ?, elapsed_ms = ?, message = ?"
                + " WHERE run_id = ?")) {
      update.setString(1, RunStatus.FAILED.name());
      update.setObject(2, timestamp(endedAt));
      update.setLong(3, Duration.between(startedAt, endedAt).toMillis());
      update.setString(4, truncate(message));
      update.setLong(5, runId);
      update.executeUpdate();
    }
  }

  static int abandonStartedBefore(Connection connection, Instant cutoff, String message)
      throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE conform_run SET status = ?, message = ? WHERE status = ? AND started_at < ?")) {
      update.setString(1, RunStatus.ABANDONED.name());
      update.setString(2, message);
      update.setString(3, RunStatus.RUNNING.name());
      update.setObject(4, timestamp(cutoff));
      return update.executeUpdate();
    }
  }

  static List<RunRecord> runs(Connection connection, int limit) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT "
                + RUN_COLUMNS
                + " FROM conform_run ORDER BY run_id DESC FETCH FIRST ? ROWS ONLY")) {
      select.setInt(1, limit);
      return readRuns(select);
    }
  }

  static Optional<RunRecord> lastSuccessful(Connection connection) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT "
                + RUN_COLUMNS
                + " FROM conform_run WHERE status = ? ORDER BY run_id DESC FETCH FIRST 1 ROWS ONLY")) {
      select.setString(1, RunStatus.SUCCEEDED.name());
      return readRuns(select).stream().findFirst();
    }
  }

  static List<ModelRunRecord> modelRuns(Connection connection, long runId) throws SQLException {
    Map<String, Map<Metric, Long>> countsByModel = new LinkedHashMap<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT model, metric, count_value FROM conform_model_run_count WHERE run_id = ?")) {
      select.setLong(1, runId);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          countsByModel
              .computeIfAbsent(rows.getString(1), model -> new EnumMap<>(Metric.class))
              .put(Metric.valueOf(rows.getString(2)), rows.getLong(3));
        }
      }
    }
    List<ModelRunRecord> models = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT position, model, elapsed_ms FROM conform_model_run WHERE run_id = ?"
                + " ORDER BY position")) {
      select.setLong(1, runId);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          String model = rows.getString(2);
          models.add(
              new ModelRunRecord(
                  runId,
                  rows.getInt(1),
                  model,
                  millis(rows, 3),
                  countsByModel.getOrDefault(model, Map.of())));
        }
      }
    }
    return List.copyOf(models);
  }

  private static List<RunRecord> readRuns(PreparedStatement select) throws SQLException {
    List<RunRecord> runs = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        runs.add(
            new RunRecord(
                rows.getLong("run_id"),
                rows.getString("project"),
                rows.getString("runtime"),
                rows.getString("target"),
                RunStatus.valueOf(rows.getString("status")),
                rows.getObject("started_at", OffsetDateTime.class).toInstant(),
                Optional.ofNullable(rows.getObject("ended_at", OffsetDateTime.class))
                    .map(OffsetDateTime::toInstant),
                millis(rows, rows.findColumn("elapsed_ms")),
                Optional.ofNullable(rows.getString("message"))));
      }
    }
    return List.copyOf(runs);
  }

  private static Optional<Duration> millis(ResultSet rows, int column) throws SQLException {
    long value = rows.getLong(column);
    return rows.wasNull() ? Optional.empty() : Optional.of(Duration.ofMillis(value));
  }

  static OffsetDateTime timestamp(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  private static String truncate(String message) {
    return message.length() <= MAX_MESSAGE_LENGTH
        ? message
        : message.substring(0, MAX_MESSAGE_LENGTH - 1) + "…";
  }
}
