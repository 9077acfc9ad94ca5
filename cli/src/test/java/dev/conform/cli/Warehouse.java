package dev.conform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a test project's DuckDB warehouse ({@code target/warehouse.duckdb}), through {@code conform
 * show} or by SQL, and counts on any JDBC database.
 */
final class Warehouse {
  private Warehouse() {}

  /**
   * A model's rows as {@code conform show --format csv} prints them, in key order, without the
   * header (a dimension's rows without the surrogate key); fails when the command fails.
   */
  static List<String> show(Path project, String model) {
    CliRun show = CliRun.of(project, "show", model, "--format", "csv");
    assertThat(show.exitCode()).as(show.err()).isZero();
    return show.out().lines().skip(1).toList();
  }

  /** The whole number in the first column of the first row of {@code sql} on the warehouse. */
  static long count(Path project, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url(project))) {
      return count(connection, sql);
    }
  }

  /** The whole number in the first column of the first row of {@code sql} on {@code url}. */
  static long count(String url, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url)) {
      return count(connection, sql);
    }
  }

  /** The whole number in the first column of the first row of {@code sql}. */
  static long count(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getLong(1);
    }
  }

  /** The text in the first column of the first row of {@code sql} on the warehouse. */
  static String text(Path project, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url(project));
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    }
  }

  /**
   * The rows of {@code sql} on the warehouse in its order, each its values joined by ',', a null
   * written as {@code nullAs}.
   */
  static List<String> rows(Path project, String sql, String nullAs) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(url(project));
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          String value = result.getString(i);
          values.add(value == null ? nullAs : value);
        }
        rows.add(String.join(",", values));
      }
    }
    return rows;
  }

  private static String url(Path project) {
    return "jdbc:duckdb:" + project.resolve("target/warehouse.duckdb");
  }
}
