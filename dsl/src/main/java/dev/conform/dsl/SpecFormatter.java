package dev.conform.dsl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Converts a spec file between its two spellings, for {@code conform fmt --to dsl|yaml}. */
public final class SpecFormatter {
  /** The spelling to write. */
  public enum Target {
    DSL(".conform"),
    YAML(".yaml");

    private final String extension;

    Target(String extension) {
      this.extension = extension;
    }

    /** The file extension of this spelling, with its dot. */
    public String extension() {
      return extension;
    }
  }

  private SpecFormatter() {}

  /**
   * Reads {@code file} (DSL if it ends in {@code .conform}, YAML otherwise) and returns it in the
   * target spelling. Comments are not carried over.
   *
   * @throws SpecException if the file has errors (all of them, with positions)
   * @throws IOException if the file cannot be read
   */
  public static String convert(Path file, Target target) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    return convert(file.toString(), text, target);
  }

  /**
   * Like {@link #convert(Path, Target)}, for text already read; {@code fileName} is for positions.
   */
  public static String convert(String fileName, String text, Target target) {
    SpecFile spec = SpecReader.read(fileName, text);
    if (spec.hasErrors()) {
      throw new SpecException(spec.diagnostics().stream().filter(Diagnostic::isError).toList());
    }
    return print(spec, target);
  }

  /** Prints already-read declarations in the target spelling. */
  public static String print(SpecFile spec, Target target) {
    return switch (target) {
      case DSL -> DslPrinter.print(spec);
      case YAML -> YamlPrinter.print(spec);
    };
  }
}
