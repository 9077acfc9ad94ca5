package dev.conform.dsl;

import static java.util.Objects.requireNonNull;

/** An output column of a model: its name and the expression over the source's columns. */
public record DerivedColumn(Named name, Expression expression) {
  public DerivedColumn {
    requireNonNull(name, "name is null");
    requireNonNull(expression, "expression is null");
  }
}
