package dev.conform.dsl;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The declarations of one spec file, in file order, and the problems found while reading it.
 * Declarations with errors that leave them incomplete are left out.
 */
public record SpecFile(
    String file,
    List<SourceSpec> sources,
    List<DimensionSpec> dimensions,
    List<TestSpec> tests,
    List<Diagnostic> diagnostics) {
  public SpecFile {
    requireNonNull(file, "file is null");
    sources = List.copyOf(sources);
    dimensions = List.copyOf(dimensions);
    tests = List.copyOf(tests);
    diagnostics = List.copyOf(diagnostics);
  }

  public boolean hasErrors() {
    return diagnostics.stream().anyMatch(Diagnostic::isError);
  }
}
