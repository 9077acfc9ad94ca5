package dev.conform.spi;

/** The SQL dialects Conform renders steps for. A runtime declares the one it executes. */
public enum SqlDialect {
  DUCKDB,
  POSTGRESQL,
  MYSQL,
  H2,
  SPARK;

  /**
   * Whether the runtime that executes this dialect counts a statement's tallies ({@link
   * Step.Tally}) as the statement reads their relations (Spark, with its observed metrics). For the
   * others, each tally's query runs before its statement. The planner shapes a plan by it.
   */
  public boolean countsTalliesWhileRunning() {
    return switch (this) {
      case SPARK -> true;
      case DUCKDB, POSTGRESQL, MYSQL, H2 -> false;
    };
  }
}
