package dev.conform.dsl;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.Optional;

/**
 * One problem found in a spec, printed GNU-style: {@code file:line:col: error CODE: message; hint}.
 */
public record Diagnostic(
    Severity severity,
    DiagnosticCode code,
    Position position,
    String message,
    Optional<String> hint) {

  /** Sorts by file, line, column, then code, so output is stable. */
  public static final Comparator<Diagnostic> ORDER =
      Comparator.comparing(Diagnostic::position)
          .thenComparing(Diagnostic::code)
          .thenComparing(Diagnostic::message);

  public Diagnostic {
    requireNonNull(severity, "severity is null");
    requireNonNull(code, "code is null");
    requireNonNull(position, "position is null");
    requireNonNull(message, "message is null");
    requireNonNull(hint, "hint is null");
  }

  public static Diagnostic error(DiagnosticCode code, Position position, String message) {
    return new Diagnostic(Severity.ERROR, code, position, message, Optional.empty());
  }

  public static Diagnostic error(
      DiagnosticCode code, Position position, String message, String hint) {
    return new Diagnostic(Severity.ERROR, code, position, message, Optional.of(hint));
  }

  public static Diagnostic warning(DiagnosticCode code, Position position, String message) {
    return new Diagnostic(Severity.WARNING, code, position, message, Optional.empty());
  }

  public static Diagnostic warning(
      DiagnosticCode code, Position position, String message, String hint) {
    return new Diagnostic(Severity.WARNING, code, position, message, Optional.of(hint));
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** The one-line form shown to users. */
  public String format() {
    return position
        + ": "
        + severity.label()
        + " "
        + code
        + ": "
        + message
        + hint.map(h -> "; " + h).orElse("");
  }

  @Override
  public String toString() {
    return format();
  }
}
