package dev.conform.catalog;

/** The state of a run in the catalog. */
public enum RunStatus {
  /** Started and not yet finished, or its process is still running. */
  RUNNING,
  /** The warehouse transaction committed and the catalog recorded its results. */
  SUCCEEDED,
  /** The run failed; its targets are as they were before the run. */
  FAILED,
  /** Its process stopped without finishing or failing it (a crash or a kill). */
  ABANDONED
}
