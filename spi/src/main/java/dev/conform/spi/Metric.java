package dev.conform.spi;

/** The counts a run reports per model. */
public enum Metric {
  /** Rows read from the model's sources in this run. */
  ROWS_READ,
  /** Rows that could not be converted or failed a check; they are in the model's reject table. */
  ROWS_REJECTED,
  /** Rows that failed a check whose failure mode is {@code warn}; they were loaded. */
  ROWS_WARNED,
  /** Events that were new to the model (re-delivered events are not counted). */
  EVENTS_NEW,
  /** Rows added to the target. */
  ROWS_INSERTED,
  /** Versions that were open before the run and are closed after it (Type 2). */
  ROWS_CLOSED,
  /** Rows changed in place (Type 1). */
  ROWS_UPDATED,
  /** Rows removed from the target by deletes (Type 1) or by history rewrites (Type 2). */
  ROWS_DELETED
}
