package dev.conform.cli;

import dev.conform.catalog.FileStamp;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Lists the files a source's glob matches under its connection's folder, in path order. */
final class SourceFiles {
  private SourceFiles() {}

  static List<FileStamp> list(Path folder, String glob) {
    if (!Files.isDirectory(folder)) {
      throw new UserException(
          ExitCode.RUN_FAILED,
          "Cannot read folder "
              + folder
              + ": it does not exist; create it or fix the connection's path");
    }
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
    List<FileStamp> stamps = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted().toList()) {
        if (Files.isRegularFile(path) && matcher.matches(folder.relativize(path))) {
          stamps.add(FileStamp.of(path.toAbsolutePath().normalize()));
        }
      }
    } catch (IOException e) {
      throw new UserException(
          ExitCode.RUN_FAILED, "Cannot list files in " + folder + ": " + e.getMessage());
    }
    return stamps;
  }
}
