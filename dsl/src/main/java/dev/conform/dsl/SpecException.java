package dev.conform.dsl;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a spec has errors; carries all of them, sorted. Never shown as a stack trace. */
public class SpecException extends RuntimeException {
  private final List<Diagnostic> diagnostics;

  public SpecException(List<Diagnostic> diagnostics) {
    super(
        diagnostics.stream()
            .sorted(Diagnostic.ORDER)
            .map(Diagnostic::format)
            .collect(Collectors.joining("\n")));
    this.diagnostics = diagnostics.stream().sorted(Diagnostic.ORDER).toList();
  }

  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }
}
