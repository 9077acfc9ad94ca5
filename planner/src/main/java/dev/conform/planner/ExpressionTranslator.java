package dev.conform.planner;

import dev.conform.dsl.Diagnostic;
import dev.conform.dsl.DiagnosticCode;
import dev.conform.dsl.Position;
import dev.conform.dsl.expr.Expr;
import dev.conform.spi.DataType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.fun.SqlTrimFunction;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.TimestampString;

/**
 * Translates parsed expressions into Calcite row expressions over the relation on top of a {@link
 * RelBuilder}'s stack, checking names and types. Problems are collected, not thrown: a failed
 * translation returns empty and leaves diagnostics behind.
 */
final class ExpressionTranslator {
  private final RelBuilder builder;
  private final RexBuilder rex;
  private final String context;
  private final List<Diagnostic> diagnostics;

  /**
   * @param context what the columns belong to, for messages, e.g. {@code source 'customers'}
   */
  ExpressionTranslator(RelBuilder builder, String context, List<Diagnostic> diagnostics) {
    this.builder = builder;
    this.rex = builder.getRexBuilder();
    this.context = context;
    this.diagnostics = diagnostics;
  }

  Optional<RexNode> translate(Expr expr) {
    try {
      return Optional.of(visit(expr));
    } catch (TranslationFailed e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      // Calcite's own type checks, for combinations the checks here do not foresee.
      diagnostics.add(
          Diagnostic.error(
              DiagnosticCode.TYPE_MISMATCH,
              expr.position(),
              "cannot type this expression in " + context + ": " + e.getMessage()));
      return Optional.empty();
    }
  }

  /** Translates a condition, which must be boolean. */
  Optional<RexNode> translateCondition(Expr expr, String what) {
    Optional<RexNode> node = translate(expr);
    if (node.isPresent() && !isBoolean(node.get().getType())) {
      diagnostics.add(
          Diagnostic.error(
              DiagnosticCode.TYPE_MISMATCH,
              expr.position(),
              what + " must be a boolean condition, but is " + describe(node.get().getType())));
      return Optional.empty();
    }
    return node;
  }

  private RexNode visit(Expr expr) {
    if (expr instanceof Expr.Literal literal) {
      return literal(literal);
    } else if (expr instanceof Expr.ColumnRef ref) {
      return column(ref);
    } else if (expr instanceof Expr.Call call) {
      return call(call);
    } else if (expr instanceof Expr.ListOf list) {
      throw fail(
          DiagnosticCode.TYPE_MISMATCH,
          list.position(),
          "a [...] list is only allowed as the last argument of accepted_values");
    } else if (expr instanceof Expr.Unary unary) {
      RexNode operand = visit(unary.operand());
      return switch (unary.operator()) {
        case NOT -> builder.not(requireBoolean(operand, unary.operand(), "NOT"));
        case NEGATE ->
            builder.call(
                SqlStdOperatorTable.UNARY_MINUS,
                requireNumeric(operand, unary.operand(), "unary minus"));
      };
    } else if (expr instanceof Expr.Binary binary) {
      return binary(binary);
    } else if (expr instanceof Expr.Case caseExpr) {
      List<RexNode> operands = new ArrayList<>();
      List<Expr> results = new ArrayList<>();
      List<RexNode> resultNodes = new ArrayList<>();
      for (Expr.When when : caseExpr.whens()) {
        operands.add(requireBoolean(visit(when.condition()), when.condition(), "WHEN"));
        RexNode result = visit(when.result());
        operands.add(result);
        results.add(when.result());
        resultNodes.add(result);
      }
      if (caseExpr.otherwise().isPresent()) {
        RexNode otherwise = visit(caseExpr.otherwise().get());
        results.add(caseExpr.otherwise().get());
        resultNodes.add(otherwise);
        operands.add(otherwise);
      } else {
        operands.add(rex.makeNullLiteral(operands.get(1).getType()));
      }
      sameKind(resultNodes, results, "the results of CASE");
      return builder.call(SqlStdOperatorTable.CASE, operands);
    } else if (expr instanceof Expr.Cast cast) {
      RexNode operand = visit(cast.operand());
      RelDataType target = CalciteTypes.toCalcite(builder.getTypeFactory(), cast.type(), true);
      // A fraction cast to an integer rounds half away from zero (DuckDB's cast): Spark's cast
      // truncates, so the rounding is spelled out for every engine.
      if (SqlTypeName.INT_TYPES.contains(target.getSqlTypeName())
          && !SqlTypeName.INT_TYPES.contains(operand.getType().getSqlTypeName())
          && SqlTypeName.NUMERIC_TYPES.contains(operand.getType().getSqlTypeName())) {
        operand = builder.call(SqlStdOperatorTable.ROUND, operand);
      }
      return rex.makeCast(target, operand, true);
    } else if (expr instanceof Expr.In in) {
      RexNode operand = visit(in.operand());
      RexNode result = in(operand, in.operand(), in.values(), "IN");
      return in.negated() ? builder.not(result) : result;
    } else if (expr instanceof Expr.IsNull isNull) {
      RexNode operand = visit(isNull.operand());
      return isNull.negated() ? builder.isNotNull(operand) : builder.isNull(operand);
    } else if (expr instanceof Expr.Between between) {
      RexNode operand = visit(between.operand());
      RexNode low = coerceTo(visit(between.low()), operand, between.low());
      RexNode high = coerceTo(visit(between.high()), operand, between.high());
      RexNode result =
          builder.and(
              compare(SqlStdOperatorTable.GREATER_THAN_OR_EQUAL, operand, low, between),
              compare(SqlStdOperatorTable.LESS_THAN_OR_EQUAL, operand, high, between));
      return between.negated() ? builder.not(result) : result;
    } else if (expr instanceof Expr.Like like) {
      RexNode operand = requireString(visit(like.operand()), like.operand(), "LIKE");
      RexNode pattern = requireString(visit(like.pattern()), like.pattern(), "LIKE");
      RexNode result = builder.call(SqlStdOperatorTable.LIKE, operand, pattern);
      return like.negated() ? builder.not(result) : result;
    }
    throw new IllegalStateException("Unknown expression node: " + expr);
  }

  private RexNode literal(Expr.Literal literal) {
    String text = literal.text();
    try {
      return switch (literal.kind()) {
        case NULL -> rex.makeNullLiteral(builder.getTypeFactory().createSqlType(SqlTypeName.NULL));
        case STRING -> builder.literal(text);
        case BOOLEAN -> builder.literal(Boolean.parseBoolean(text));
        case INTEGER -> {
          BigDecimal value = new BigDecimal(text);
          boolean fitsInt =
              value.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0
                  && value.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) >= 0;
          yield rex.makeExactLiteral(
              value,
              builder
                  .getTypeFactory()
                  .createSqlType(fitsInt ? SqlTypeName.INTEGER : SqlTypeName.BIGINT));
        }
        case DECIMAL -> rex.makeExactLiteral(new BigDecimal(text));
        case DATE -> rex.makeDateLiteral(new DateString(text));
        case TIMESTAMP -> rex.makeTimestampLiteral(timestampString(text), 0);
      };
    } catch (IllegalArgumentException e) {
      throw fail(
          DiagnosticCode.INVALID_VALUE,
          literal.position(),
          "invalid " + literal.kind().name().toLowerCase(Locale.ROOT) + " literal '" + text + "'");
    }
  }

  static TimestampString timestampString(String text) {
    String t = text.trim().replace('T', ' ');
    if (t.length() == 10) {
      t = t + " 00:00:00";
    }
    return new TimestampString(t);
  }

  private RexNode column(Expr.ColumnRef ref) {
    List<String> names = builder.peek().getRowType().getFieldNames();
    if (names.contains(ref.name())) {
      return builder.field(ref.name());
    }
    for (String name : names) {
      if (name.equalsIgnoreCase(ref.name())) {
        return builder.field(name);
      }
    }
    List<String> visible = names.stream().filter(n -> !n.startsWith("_conform")).toList();
    String hint = dev.conform.dsl.Suggestions.didYouMean(ref.name(), visible).orElse(null);
    String message = "cannot resolve column '" + ref.name() + "' in " + context;
    throw fail(
        hint == null
            ? Diagnostic.error(DiagnosticCode.UNKNOWN_COLUMN, ref.position(), message)
            : Diagnostic.error(DiagnosticCode.UNKNOWN_COLUMN, ref.position(), message, hint));
  }

  private RexNode binary(Expr.Binary binary) {
    RexNode left = visit(binary.left());
    RexNode right = visit(binary.right());
    return switch (binary.operator()) {
      case OR ->
          builder.or(
              requireBoolean(left, binary.left(), "OR"),
              requireBoolean(right, binary.right(), "OR"));
      case AND ->
          builder.and(
              requireBoolean(left, binary.left(), "AND"),
              requireBoolean(right, binary.right(), "AND"));
      case EQUAL -> compare(SqlStdOperatorTable.EQUALS, left, right, binary);
      case NOT_EQUAL -> compare(SqlStdOperatorTable.NOT_EQUALS, left, right, binary);
      case LESS -> compare(SqlStdOperatorTable.LESS_THAN, left, right, binary);
      case LESS_OR_EQUAL -> compare(SqlStdOperatorTable.LESS_THAN_OR_EQUAL, left, right, binary);
      case GREATER -> compare(SqlStdOperatorTable.GREATER_THAN, left, right, binary);
      case GREATER_OR_EQUAL ->
          compare(SqlStdOperatorTable.GREATER_THAN_OR_EQUAL, left, right, binary);
      case PLUS -> arithmetic(SqlStdOperatorTable.PLUS, left, right, binary);
      case MINUS -> arithmetic(SqlStdOperatorTable.MINUS, left, right, binary);
      case TIMES -> arithmetic(SqlStdOperatorTable.MULTIPLY, left, right, binary);
      case DIVIDE -> arithmetic(SqlStdOperatorTable.DIVIDE, left, right, binary);
      case MODULO -> arithmetic(SqlStdOperatorTable.MOD, left, right, binary);
      case CONCAT -> builder.call(SqlStdOperatorTable.CONCAT, asText(left), asText(right));
    };
  }

  private RexNode arithmetic(SqlOperator op, RexNode left, RexNode right, Expr.Binary binary) {
    requireNumeric(left, binary.left(), "'" + binary.operator().symbol() + "'");
    requireNumeric(right, binary.right(), "'" + binary.operator().symbol() + "'");
    return op == SqlStdOperatorTable.DIVIDE || op == SqlStdOperatorTable.MOD
        ? divide(op, left, right)
        : builder.call(op, left, right);
  }

  /**
   * {@code a / b} or {@code mod(a, b)} that is NULL when {@code b} is 0, on every engine: DuckDB
   * gives Infinity for {@code /} and fails the statement for {@code %}, PostgreSQL fails, Spark
   * gives NULL, so a row's zero would decide the result, or whether a run succeeds, by engine.
   */
  private RexNode divide(SqlOperator op, RexNode left, RexNode right) {
    if (left.getType().getSqlTypeName() == SqlTypeName.NULL
        || right.getType().getSqlTypeName() == SqlTypeName.NULL) {
      // A NULL operand: the result is NULL and there is nothing to divide by.
      return builder.call(op, left, right);
    }
    RexNode zero = builder.getRexBuilder().makeZeroLiteral(right.getType());
    RexNode dividend = left;
    if (op == SqlStdOperatorTable.DIVIDE
        && SqlTypeName.INT_TYPES.contains(left.getType().getSqlTypeName())
        && SqlTypeName.INT_TYPES.contains(right.getType().getSqlTypeName())) {
      // Integers divide exactly, 7 / 2 = 3.5, as on DuckDB and Spark; Calcite would type the
      // quotient as an integer, which each engine then rounds its own way.
      dividend =
          builder
              .getRexBuilder()
              .makeCast(
                  builder
                      .getTypeFactory()
                      .createTypeWithNullability(
                          builder.getTypeFactory().createSqlType(SqlTypeName.DOUBLE),
                          left.getType().isNullable()),
                  left);
    }
    return builder.call(op, dividend, builder.call(SqlStdOperatorTable.NULLIF, right, zero));
  }

  private RexNode compare(SqlOperator op, RexNode left, RexNode right, Expr at) {
    RexNode l = coerceTo(left, right, at);
    RexNode r = coerceTo(right, l, at);
    SqlTypeFamily lf = family(l.getType());
    SqlTypeFamily rf = family(r.getType());
    if (lf != null && rf != null && lf != rf) {
      throw fail(
          DiagnosticCode.TYPE_MISMATCH,
          at.position(),
          "cannot compare "
              + describe(l.getType())
              + " with "
              + describe(r.getType())
              + " in '"
              + op.getName().toLowerCase(Locale.ROOT)
              + "'");
    }
    return builder.call(op, l, r);
  }

  /** A string literal compared with a date or timestamp becomes that type, so 'x' < date works. */
  private RexNode coerceTo(RexNode value, RexNode other, Expr at) {
    SqlTypeName target = other.getType().getSqlTypeName();
    if (value instanceof org.apache.calcite.rex.RexLiteral literal
        && SqlTypeName.CHAR_TYPES.contains(literal.getType().getSqlTypeName())
        && (target == SqlTypeName.DATE || target == SqlTypeName.TIMESTAMP)) {
      String text = literal.getValueAs(String.class);
      try {
        return target == SqlTypeName.DATE
            ? rex.makeDateLiteral(new DateString(text.trim()))
            : rex.makeTimestampLiteral(timestampString(text), 0);
      } catch (IllegalArgumentException e) {
        throw fail(
            DiagnosticCode.TYPE_MISMATCH,
            at.position(),
            "'" + text + "' is not a valid " + target.getName().toLowerCase(Locale.ROOT));
      }
    }
    return value;
  }

  private RexNode call(Expr.Call call) {
    String name = call.function().toLowerCase(Locale.ROOT);
    List<Expr> args = call.arguments();
    switch (name) {
      case "not_null":
        arity(call, 1, 1);
        return builder.isNotNull(visit(args.get(0)));
      case "accepted_values":
        {
          arity(call, 2, 2);
          RexNode operand = visit(args.get(0));
          if (!(args.get(1) instanceof Expr.ListOf list)) {
            throw fail(
                DiagnosticCode.WRONG_ARGUMENTS,
                args.get(1).position(),
                "accepted_values takes a column and a [...] list of values");
          }
          return builder.or(
              builder.isNull(operand), in(operand, args.get(0), list.items(), "accepted_values"));
        }
      case "trim":
        return trim(call, SqlTrimFunction.Flag.BOTH);
      case "ltrim":
        return trim(call, SqlTrimFunction.Flag.LEADING);
      case "rtrim":
        return trim(call, SqlTrimFunction.Flag.TRAILING);
      case "upper":
        arity(call, 1, 1);
        return builder.call(SqlStdOperatorTable.UPPER, text(call, 0));
      case "lower":
        arity(call, 1, 1);
        return builder.call(SqlStdOperatorTable.LOWER, text(call, 0));
      case "length":
        arity(call, 1, 1);
        return builder.call(SqlStdOperatorTable.CHAR_LENGTH, text(call, 0));
      case "substr":
      case "substring":
        {
          arity(call, 2, 3);
          List<RexNode> operands = new ArrayList<>();
          operands.add(text(call, 0));
          for (int i = 1; i < args.size(); i++) {
            operands.add(requireNumeric(visit(args.get(i)), args.get(i), name));
          }
          return builder.call(SqlStdOperatorTable.SUBSTRING, operands);
        }
      case "replace":
        arity(call, 3, 3);
        return builder.call(
            SqlStdOperatorTable.REPLACE, text(call, 0), text(call, 1), text(call, 2));
      case "concat":
        {
          arity(call, 1, Integer.MAX_VALUE);
          RexNode result = asText(visit(args.get(0)));
          for (int i = 1; i < args.size(); i++) {
            result = builder.call(SqlStdOperatorTable.CONCAT, result, asText(visit(args.get(i))));
          }
          return result;
        }
      case "coalesce":
        arity(call, 1, Integer.MAX_VALUE);
        return builder.call(SqlStdOperatorTable.COALESCE, sameKind(visitAll(args), args, name));
      case "nullif":
        arity(call, 2, 2);
        return builder.call(SqlStdOperatorTable.NULLIF, sameKind(visitAll(args), args, name));
      case "abs":
        arity(call, 1, 1);
        return builder.call(SqlStdOperatorTable.ABS, number(call, 0));
      case "round":
        {
          arity(call, 1, 2);
          List<RexNode> operands = new ArrayList<>();
          for (int i = 0; i < args.size(); i++) {
            operands.add(number(call, i));
          }
          return builder.call(SqlStdOperatorTable.ROUND, operands);
        }
      case "floor":
        arity(call, 1, 1);
        return builder.call(SqlStdOperatorTable.FLOOR, number(call, 0));
      case "ceil":
        arity(call, 1, 1);
        return builder.call(SqlStdOperatorTable.CEIL, number(call, 0));
      case "mod":
        arity(call, 2, 2);
        return divide(SqlStdOperatorTable.MOD, number(call, 0), number(call, 1));
      case "greatest":
        arity(call, 2, Integer.MAX_VALUE);
        return builder.call(SqlLibraryOperators.GREATEST, sameKind(visitAll(args), args, name));
      case "least":
        arity(call, 2, Integer.MAX_VALUE);
        return builder.call(SqlLibraryOperators.LEAST, sameKind(visitAll(args), args, name));
      case "year":
        return extract(call, TimeUnitRange.YEAR);
      case "month":
        return extract(call, TimeUnitRange.MONTH);
      case "day":
        return extract(call, TimeUnitRange.DAY);
      case "current_date":
        arity(call, 0, 0);
        return builder.call(SqlStdOperatorTable.CURRENT_DATE);
      default:
        throw fail(
            Diagnostic.error(
                DiagnosticCode.UNKNOWN_FUNCTION,
                call.position(),
                "unknown function '" + call.function() + "'",
                dev.conform.dsl.Suggestions.didYouMean(
                        name, dev.conform.dsl.FunctionCatalog.names())
                    .orElse(
                        "see the README's expression reference for the functions Conform knows")));
    }
  }

  private RexNode trim(Expr.Call call, SqlTrimFunction.Flag flag) {
    arity(call, 1, 1);
    return builder.call(
        SqlStdOperatorTable.TRIM, builder.literal(flag), builder.literal(" "), text(call, 0));
  }

  private RexNode extract(Expr.Call call, TimeUnitRange unit) {
    arity(call, 1, 1);
    RexNode operand = visit(call.arguments().get(0));
    if (!SqlTypeName.DATETIME_TYPES.contains(operand.getType().getSqlTypeName())) {
      throw fail(
          DiagnosticCode.TYPE_MISMATCH,
          call.arguments().get(0).position(),
          call.function() + " takes a date or timestamp, not " + describe(operand.getType()));
    }
    return builder.call(SqlStdOperatorTable.EXTRACT, builder.literal(unit), operand);
  }

  /**
   * The values, when they are all of one kind (numbers, text, dates and times, booleans; NULL goes
   * with any): {@code what} cannot mix kinds, and engines would fail on it at run time.
   */
  /** {@code operand IN (values)}, each value read as the operand's type and of its kind. */
  private RexNode in(RexNode operand, Expr operandExpr, List<Expr> values, String what) {
    List<RexNode> nodes = new ArrayList<>();
    for (Expr value : values) {
      RexNode node = coerceTo(visit(value), operand, value);
      sameKind(List.of(operand, node), List.of(operandExpr, value), what);
      nodes.add(node);
    }
    return builder.in(operand, nodes);
  }

  private List<RexNode> sameKind(List<RexNode> values, List<Expr> exprs, String what) {
    RexNode first = null;
    for (int i = 0; i < values.size(); i++) {
      SqlTypeFamily kind = family(values.get(i).getType());
      if (kind == null) {
        continue;
      }
      if (first == null) {
        first = values.get(i);
      } else if (kind != family(first.getType())) {
        throw fail(
            DiagnosticCode.TYPE_MISMATCH,
            exprs.get(i).position(),
            "cannot mix "
                + describe(first.getType())
                + " and "
                + describe(values.get(i).getType())
                + " in "
                + what);
      }
    }
    return values;
  }

  private List<RexNode> visitAll(List<Expr> args) {
    List<RexNode> nodes = new ArrayList<>();
    for (Expr arg : args) {
      nodes.add(visit(arg));
    }
    return nodes;
  }

  private RexNode text(Expr.Call call, int index) {
    Expr arg = call.arguments().get(index);
    return requireString(visit(arg), arg, call.function());
  }

  private RexNode number(Expr.Call call, int index) {
    Expr arg = call.arguments().get(index);
    return requireNumeric(visit(arg), arg, call.function());
  }

  private void arity(Expr.Call call, int min, int max) {
    int n = call.arguments().size();
    if (n < min || n > max) {
      String expected =
          min == max
              ? min + " argument" + (min == 1 ? "" : "s")
              : max == Integer.MAX_VALUE
                  ? "at least " + min + " arguments"
                  : min + " to " + max + " arguments";
      throw fail(
          DiagnosticCode.WRONG_ARGUMENTS,
          call.position(),
          call.function() + " takes " + expected + ", not " + n);
    }
  }

  private RexNode asText(RexNode node) {
    if (SqlTypeName.CHAR_TYPES.contains(node.getType().getSqlTypeName())) {
      return node;
    }
    return rex.makeCast(
        builder
            .getTypeFactory()
            .createTypeWithNullability(
                builder.getTypeFactory().createSqlType(SqlTypeName.VARCHAR),
                node.getType().isNullable()),
        node,
        true);
  }

  private RexNode requireBoolean(RexNode node, Expr at, String what) {
    if (!isBoolean(node.getType())) {
      throw fail(
          DiagnosticCode.TYPE_MISMATCH,
          at.position(),
          what + " needs a boolean operand, not " + describe(node.getType()));
    }
    return node;
  }

  private RexNode requireNumeric(RexNode node, Expr at, String what) {
    SqlTypeName t = node.getType().getSqlTypeName();
    if (!SqlTypeName.NUMERIC_TYPES.contains(t) && t != SqlTypeName.NULL) {
      throw fail(
          DiagnosticCode.TYPE_MISMATCH,
          at.position(),
          what + " needs a number, not " + describe(node.getType()));
    }
    return node;
  }

  private RexNode requireString(RexNode node, Expr at, String what) {
    SqlTypeName t = node.getType().getSqlTypeName();
    if (!SqlTypeName.CHAR_TYPES.contains(t) && t != SqlTypeName.NULL) {
      throw fail(
          DiagnosticCode.TYPE_MISMATCH,
          at.position(),
          what + " needs a string, not " + describe(node.getType()));
    }
    return node;
  }

  private static boolean isBoolean(RelDataType type) {
    return type.getSqlTypeName() == SqlTypeName.BOOLEAN
        || type.getSqlTypeName() == SqlTypeName.NULL;
  }

  private static SqlTypeFamily family(RelDataType type) {
    SqlTypeName t = type.getSqlTypeName();
    if (t == SqlTypeName.NULL) {
      return null;
    } else if (SqlTypeName.NUMERIC_TYPES.contains(t)) {
      return SqlTypeFamily.NUMERIC;
    } else if (SqlTypeName.CHAR_TYPES.contains(t)) {
      return SqlTypeFamily.CHARACTER;
    } else if (SqlTypeName.DATETIME_TYPES.contains(t)) {
      return SqlTypeFamily.DATETIME;
    } else if (t == SqlTypeName.BOOLEAN) {
      return SqlTypeFamily.BOOLEAN;
    }
    return SqlTypeFamily.ANY;
  }

  static String describe(RelDataType type) {
    return CalciteTypes.fromCalcite(type).map(DataType::toString).orElse(type.toString());
  }

  private TranslationFailed fail(DiagnosticCode code, Position position, String message) {
    return fail(Diagnostic.error(code, position, message));
  }

  private TranslationFailed fail(Diagnostic diagnostic) {
    diagnostics.add(diagnostic);
    return new TranslationFailed();
  }

  /** Unwinds a translation after its diagnostic has been recorded. */
  private static final class TranslationFailed extends RuntimeException {
    TranslationFailed() {
      super(null, null, false, false);
    }
  }
}
