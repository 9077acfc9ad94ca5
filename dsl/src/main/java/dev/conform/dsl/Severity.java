package dev.conform.dsl;

/** How bad a diagnostic is: errors stop validation from passing, warnings do not. */
public enum Severity {
  ERROR,
  WARNING;

  public String label() {
    return this == ERROR ? "error" : "warning";
  }
}
