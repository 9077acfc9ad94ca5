package dev.conform.spi;

/** The SQL dialects Conform renders steps for. A runtime declares the one it executes. */
public enum SqlDialect {
  DUCKDB,
  POSTGRESQL,
  MYSQL,
  H2,
  SPARK
}
