package dev.conform.catalog;

import static java.util.Objects.requireNonNull;

/**
 * A source file the catalog records as processed: the stamp it had when it was read and the run
 * that read it.
 */
public record ProcessedFile(FileStamp stamp, long runId) {
  public ProcessedFile {
    requireNonNull(stamp, "stamp is null");
  }

  /** Whether {@code current} describes the same version of the file as the one processed. */
  public boolean isUnchanged(FileStamp current) {
    return stamp.equals(requireNonNull(current, "current is null"));
  }
}
