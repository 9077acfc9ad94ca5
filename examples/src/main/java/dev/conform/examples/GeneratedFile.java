package dev.conform.examples;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/** One file the generator wrote: where, how many rows, and how long it took. */
public record GeneratedFile(Path path, long rows, double seconds) {
  public GeneratedFile {
    requireNonNull(path, "path is null");
  }
}
