package dev.conform.spi;

/** How many rows a source load read, and how many of them went to the reject table. */
public record LoadCounts(long rowsRead, long rowsRejected) {
  public LoadCounts {
    if (rowsRead < 0 || rowsRejected < 0 || rowsRejected > rowsRead) {
      throw new IllegalArgumentException(
          "Invalid load counts: read " + rowsRead + ", rejected " + rowsRejected);
    }
  }
}
