package dev.conform.dsl.expr;

import dev.conform.dsl.Position;
import dev.conform.spi.DataType;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The parsed form of an expression in the shared expression language (derived columns, filters,
 * checks). Unbound: column references are names only; the planner's binder gives them types.
 */
public sealed interface Expr {

  /** Where the expression starts in its spec file. */
  Position position();

  /** A literal. {@code text} is the value without quotes; for NULL it is empty. */
  record Literal(LiteralKind kind, String text, Position position) implements Expr {
    public Literal {
      Objects.requireNonNull(kind, "kind is null");
      Objects.requireNonNull(text, "text is null");
      Objects.requireNonNull(position, "position is null");
    }
  }

  /** The kinds of literal the language has. DATE and TIMESTAMP are written {@code date '...'}. */
  enum LiteralKind {
    NULL,
    STRING,
    INTEGER,
    DECIMAL,
    BOOLEAN,
    DATE,
    TIMESTAMP
  }

  /** A column of the model's source, by name. */
  record ColumnRef(String name, Position position) implements Expr {
    public ColumnRef {
      Objects.requireNonNull(name, "name is null");
      Objects.requireNonNull(position, "position is null");
    }
  }

  /** A function call, e.g. {@code trim(x)}, {@code coalesce(a, b)}, {@code not_null(x)}. */
  record Call(String function, List<Expr> arguments, Position position) implements Expr {
    public Call {
      Objects.requireNonNull(function, "function is null");
      arguments = List.copyOf(arguments);
      Objects.requireNonNull(position, "position is null");
    }
  }

  /** A bracketed list, used as an argument: {@code accepted_values(plan, ['a', 'b'])}. */
  record ListOf(List<Expr> items, Position position) implements Expr {
    public ListOf {
      items = List.copyOf(items);
      Objects.requireNonNull(position, "position is null");
    }
  }

  /** {@code NOT x} and {@code -x}. */
  record Unary(UnaryOperator operator, Expr operand, Position position) implements Expr {
    public Unary {
      Objects.requireNonNull(operator, "operator is null");
      Objects.requireNonNull(operand, "operand is null");
      Objects.requireNonNull(position, "position is null");
    }
  }

  /** Unary operators. */
  enum UnaryOperator {
    NOT,
    NEGATE
  }

  /** A binary operation. */
  record Binary(BinaryOperator operator, Expr left, Expr right, Position position) implements Expr {
    public Binary {
      Objects.requireNonNull(operator, "operator is null");
      Objects.requireNonNull(left, "left is null");
      Objects.requireNonNull(right, "right is null");
      Objects.requireNonNull(position, "position is null");
    }
  }

  /** Binary operators, with their spelling in the language. */
  enum BinaryOperator {
    OR("or"),
    AND("and"),
    EQUAL("="),
    NOT_EQUAL("<>"),
    LESS("<"),
    LESS_OR_EQUAL("<="),
    GREATER(">"),
    GREATER_OR_EQUAL(">="),
    PLUS("+"),
    MINUS("-"),
    TIMES("*"),
    DIVIDE("/"),
    MODULO("%"),
    CONCAT("||");

    private final String symbol;

    BinaryOperator(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }
  }

  /** {@code CASE WHEN c THEN v ... [ELSE e] END}. */
  record Case(List<When> whens, Optional<Expr> otherwise, Position position) implements Expr {
    public Case {
      whens = List.copyOf(whens);
      Objects.requireNonNull(otherwise, "otherwise is null");
      Objects.requireNonNull(position, "position is null");
    }
  }

  /** One {@code WHEN condition THEN result} of a {@link Case}. */
  record When(Expr condition, Expr result) {
    public When {
      Objects.requireNonNull(condition, "condition is null");
      Objects.requireNonNull(result, "result is null");
    }
  }

  /** {@code CAST(x AS type)} (also written {@code x::type}). */
  record Cast(Expr operand, DataType type, Position position) implements Expr {
    public Cast {
      Objects.requireNonNull(operand, "operand is null");
      Objects.requireNonNull(type, "type is null");
      Objects.requireNonNull(position, "position is null");
    }
  }

  /** {@code x [NOT] IN (a, b, ...)}. */
  record In(Expr operand, List<Expr> values, boolean negated, Position position) implements Expr {
    public In {
      Objects.requireNonNull(operand, "operand is null");
      values = List.copyOf(values);
      Objects.requireNonNull(position, "position is null");
    }
  }

  /** {@code x IS [NOT] NULL}. */
  record IsNull(Expr operand, boolean negated, Position position) implements Expr {
    public IsNull {
      Objects.requireNonNull(operand, "operand is null");
      Objects.requireNonNull(position, "position is null");
    }
  }

  /** {@code x [NOT] BETWEEN low AND high}. */
  record Between(Expr operand, Expr low, Expr high, boolean negated, Position position)
      implements Expr {
    public Between {
      Objects.requireNonNull(operand, "operand is null");
      Objects.requireNonNull(low, "low is null");
      Objects.requireNonNull(high, "high is null");
      Objects.requireNonNull(position, "position is null");
    }
  }

  /** {@code x [NOT] LIKE pattern}. */
  record Like(Expr operand, Expr pattern, boolean negated, Position position) implements Expr {
    public Like {
      Objects.requireNonNull(operand, "operand is null");
      Objects.requireNonNull(pattern, "pattern is null");
      Objects.requireNonNull(position, "position is null");
    }
  }
}
