package dev.conform.catalog;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What identifies the version of a source file Conform read: its path, size and last-modified time.
 *
 * <p>Two stamps are equal when all three are equal, so a caller finds the files to read by
 * comparing the stamp of each file on disk with the stamp the catalog recorded for its path: no
 * recorded stamp means a new file, a different stamp means a changed file, an equal stamp means
 * already processed.
 *
 * @param path the file's path as the source names it (Conform uses the absolute, normalized path)
 * @param sizeBytes the file's size in bytes
 * @param lastModifiedMillis the file's last-modified time in milliseconds since the epoch
 */
public record FileStamp(String path, long sizeBytes, long lastModifiedMillis) {
  public FileStamp {
    requireNonNull(path, "path is null");
    if (path.isBlank()) {
      throw new IllegalArgumentException("Invalid file path: blank");
    }
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("Invalid file size for " + path + ": " + sizeBytes);
    }
  }

  /** The stamp of {@code file} as it is on disk now, with its absolute, normalized path. */
  public static FileStamp of(Path file) {
    requireNonNull(file, "file is null");
    Path absolute = file.toAbsolutePath().normalize();
    try {
      return new FileStamp(
          absolute.toString(),
          Files.size(absolute),
          Files.getLastModifiedTime(absolute).toMillis());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot stamp file " + absolute + ": " + e.getMessage(), e);
    }
  }
}
