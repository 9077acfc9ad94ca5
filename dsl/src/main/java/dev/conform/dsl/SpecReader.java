package dev.conform.dsl;

import java.util.Locale;

/** Reads one spec file, in either spelling, into its declarations and diagnostics. */
public final class SpecReader {
  private SpecReader() {}

  /** Reads a YAML spec file; {@code fileName} is used in positions. */
  public static SpecFile readYaml(String fileName, String text) {
    return YamlSpecReader.read(fileName, text);
  }

  /** Reads a {@code .conform} DSL file; {@code fileName} is used in positions. */
  public static SpecFile readDsl(String fileName, String text) {
    return DslSpecReader.read(fileName, text);
  }

  /** Reads by extension: {@code .conform} is the DSL, anything else YAML. */
  public static SpecFile read(String fileName, String text) {
    return isDsl(fileName) ? readDsl(fileName, text) : readYaml(fileName, text);
  }

  /** True for {@code .conform} files. */
  public static boolean isDsl(String fileName) {
    return fileName.toLowerCase(Locale.ROOT).endsWith(".conform");
  }

  /** True for the files a project reads: {@code .yaml}, {@code .yml} and {@code .conform}. */
  public static boolean isSpecFile(String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    return lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".conform");
  }
}
