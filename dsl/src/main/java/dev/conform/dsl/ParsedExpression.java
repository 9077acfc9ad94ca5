package dev.conform.dsl;

import static java.util.Objects.requireNonNull;

import dev.conform.dsl.expr.Expr;
import java.util.List;
import java.util.Optional;

/** The result of parsing one expression: the tree, or the reasons there is none. */
public record ParsedExpression(Optional<Expr> expr, List<Diagnostic> diagnostics) {
  public ParsedExpression {
    requireNonNull(expr, "expr is null");
    diagnostics = List.copyOf(diagnostics);
  }

  public boolean isValid() {
    return expr.isPresent();
  }
}
