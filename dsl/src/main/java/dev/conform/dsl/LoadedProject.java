package dev.conform.dsl;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A project as loaded: the spec when it has no errors, and every diagnostic (errors and warnings)
 * sorted by {@link Diagnostic#ORDER}.
 */
public record LoadedProject(Optional<ProjectSpec> project, List<Diagnostic> diagnostics) {
  public LoadedProject {
    requireNonNull(project, "project is null");
    diagnostics = List.copyOf(diagnostics);
  }

  public boolean hasErrors() {
    return diagnostics.stream().anyMatch(Diagnostic::isError);
  }

  /** The project, or a {@link SpecException} carrying every error. */
  public ProjectSpec orThrow() {
    return project.orElseThrow(
        () -> new SpecException(diagnostics.stream().filter(Diagnostic::isError).toList()));
  }
}
