package dev.conform.cdc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The landing file a capture writes for the loaders: what becomes of it when the capture fails. A
 * failed capture deletes it, so no later step loads half of it.
 */
final class Landing {
  private Landing() {}

  /**
   * Deletes {@code file} (the landing file of a capture that failed), and returns {@code failure}
   * to throw; a failure to delete must not hide the capture's (the next capture replaces the file).
   */
  static <T extends RuntimeException> T discard(Path file, T failure) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
    return failure;
  }

  /**
   * {@link #discard}s {@code file}, which could not be written, and says so: "{@code cannot}:
   * cannot write the landing file ...; nothing was loaded".
   */
  static ExtractFailure unwritable(String cannot, Path file, IOException e) {
    return discard(
        file,
        new ExtractFailure(
            cannot
                + ": cannot write the landing file "
                + file
                + ": "
                + e.getMessage()
                + "; nothing was loaded",
            e));
  }
}
