package dev.conform.dsl;

import static java.util.Objects.requireNonNull;

import dev.conform.dsl.expr.Expr;

/**
 * An expression as the user wrote it ({@code text}, kept verbatim so that formatting between YAML
 * and the DSL loses nothing) and as parsed ({@code ast}); {@code position} is where the text
 * starts.
 */
public record Expression(String text, Expr ast, Position position) {
  public Expression {
    requireNonNull(text, "text is null");
    requireNonNull(ast, "ast is null");
    requireNonNull(position, "position is null");
  }
}
