package dev.conform.runtime.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;

/** Holds a DuckDB file open in a separate process until its standard input closes. */
public final class LockHolder {
  private LockHolder() {}

  public static void main(String[] args) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + args[0])) {
      connection.createStatement().execute("CREATE TABLE IF NOT EXISTS held (x INTEGER)");
      System.out.println("ready");
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait until the test closes our input
      }
    }
  }
}
