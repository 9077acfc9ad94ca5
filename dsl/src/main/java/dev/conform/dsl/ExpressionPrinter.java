package dev.conform.dsl;

import dev.conform.dsl.expr.Expr;
import dev.conform.dsl.expr.Expr.BinaryOperator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Prints an {@link Expr} as canonical text: lower-case keywords, single spaces around operators,
 * and parentheses only where precedence needs them. Parsing the output gives the same tree.
 */
public final class ExpressionPrinter {
  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** Words that cannot be a bare column name in an expression. */
  static final Set<String> RESERVED =
      Set.of(
          "null", "true", "false", "not", "and", "or", "is", "in", "between", "like", "case",
          "when", "then", "else", "end", "cast", "as");

  // Binding strength, loosest first; mirrors the grammar's rule nesting.
  private static final int OR = 1;
  private static final int AND = 2;
  private static final int NOT = 3;
  private static final int PREDICATE = 4;
  private static final int CONCAT = 5;
  private static final int ADDITIVE = 6;
  private static final int MULTIPLICATIVE = 7;
  private static final int UNARY = 8;
  private static final int PRIMARY = 10;

  private ExpressionPrinter() {}

  public static String print(Expr expr) {
    StringBuilder out = new StringBuilder();
    print(expr, 0, out);
    return out.toString();
  }

  /** A column name as written in an expression: bare when possible, else double-quoted. */
  public static String name(String name) {
    if (PLAIN_NAME.matcher(name).matches() && !RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
      return name;
    }
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  /** A single-quoted string literal. */
  public static String quote(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  private static void print(Expr expr, int context, StringBuilder out) {
    int strength = strength(expr);
    boolean parenthesize = strength < context;
    if (parenthesize) {
      out.append('(');
    }
    printBare(expr, out);
    if (parenthesize) {
      out.append(')');
    }
  }

  private static void printBare(Expr expr, StringBuilder out) {
    if (expr instanceof Expr.Literal literal) {
      out.append(literal(literal));
    } else if (expr instanceof Expr.ColumnRef column) {
      out.append(name(column.name()));
    } else if (expr instanceof Expr.Call call) {
      out.append(call.function()).append('(');
      printList(call.arguments(), out);
      out.append(')');
    } else if (expr instanceof Expr.ListOf list) {
      out.append('[');
      printList(list.items(), out);
      out.append(']');
    } else if (expr instanceof Expr.Unary unary) {
      if (unary.operator() == Expr.UnaryOperator.NOT) {
        out.append("not ");
        print(unary.operand(), NOT, out);
      } else {
        out.append('-');
        // One level above unary, so that a nested minus prints as -(-x), never as a comment.
        print(unary.operand(), UNARY + 1, out);
      }
    } else if (expr instanceof Expr.Binary binary) {
      int strength = strength(binary.operator());
      boolean comparison = strength == PREDICATE;
      print(binary.left(), comparison ? CONCAT : strength, out);
      out.append(' ').append(binary.operator().symbol()).append(' ');
      print(binary.right(), comparison ? CONCAT : strength + 1, out);
    } else if (expr instanceof Expr.Case caseExpr) {
      out.append("case");
      for (Expr.When when : caseExpr.whens()) {
        out.append(" when ");
        print(when.condition(), 0, out);
        out.append(" then ");
        print(when.result(), 0, out);
      }
      caseExpr.otherwise().ifPresent(otherwise -> print(otherwise, 0, out.append(" else ")));
      out.append(" end");
    } else if (expr instanceof Expr.Cast cast) {
      out.append("cast(");
      print(cast.operand(), 0, out);
      out.append(" as ").append(cast.type()).append(')');
    } else if (expr instanceof Expr.In in) {
      print(in.operand(), CONCAT, out);
      out.append(in.negated() ? " not in (" : " in (");
      printList(in.values(), out);
      out.append(')');
    } else if (expr instanceof Expr.IsNull isNull) {
      print(isNull.operand(), CONCAT, out);
      out.append(isNull.negated() ? " is not null" : " is null");
    } else if (expr instanceof Expr.Between between) {
      print(between.operand(), CONCAT, out);
      out.append(between.negated() ? " not between " : " between ");
      print(between.low(), CONCAT, out);
      out.append(" and ");
      print(between.high(), CONCAT, out);
    } else if (expr instanceof Expr.Like like) {
      print(like.operand(), CONCAT, out);
      out.append(like.negated() ? " not like " : " like ");
      print(like.pattern(), CONCAT, out);
    }
  }

  private static void printList(List<Expr> items, StringBuilder out) {
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        out.append(", ");
      }
      print(items.get(i), 0, out);
    }
  }

  private static String literal(Expr.Literal literal) {
    switch (literal.kind()) {
      case NULL:
        return "null";
      case STRING:
        return quote(literal.text());
      case DATE:
        return "date " + quote(literal.text());
      case TIMESTAMP:
        return "timestamp " + quote(literal.text());
      case INTEGER:
      case DECIMAL:
      case BOOLEAN:
        return literal.text();
    }
    throw new IllegalStateException("Bug: unknown literal kind " + literal.kind());
  }

  private static int strength(Expr expr) {
    if (expr instanceof Expr.Binary binary) {
      return strength(binary.operator());
    }
    if (expr instanceof Expr.Unary unary) {
      return unary.operator() == Expr.UnaryOperator.NOT ? NOT : UNARY;
    }
    if (expr instanceof Expr.In
        || expr instanceof Expr.IsNull
        || expr instanceof Expr.Between
        || expr instanceof Expr.Like) {
      return PREDICATE;
    }
    return PRIMARY;
  }

  private static int strength(BinaryOperator operator) {
    switch (operator) {
      case OR:
        return OR;
      case AND:
        return AND;
      case EQUAL:
      case NOT_EQUAL:
      case LESS:
      case LESS_OR_EQUAL:
      case GREATER:
      case GREATER_OR_EQUAL:
        return PREDICATE;
      case CONCAT:
        return CONCAT;
      case PLUS:
      case MINUS:
        return ADDITIVE;
      case TIMES:
      case DIVIDE:
      case MODULO:
        return MULTIPLICATIVE;
    }
    throw new IllegalStateException("Bug: unknown operator " + operator);
  }

  /** Names joined with commas, each printed with {@link #name}. */
  static String names(List<String> names) {
    return names.stream().map(ExpressionPrinter::name).collect(Collectors.joining(", "));
  }
}
