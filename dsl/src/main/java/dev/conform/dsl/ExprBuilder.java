package dev.conform.dsl;

import dev.conform.dsl.expr.Expr;
import dev.conform.dsl.expr.Expr.BinaryOperator;
import dev.conform.dsl.expr.Expr.LiteralKind;
import dev.conform.dsl.parser.ConformBaseVisitor;
import dev.conform.dsl.parser.ConformLexer;
import dev.conform.dsl.parser.ConformParser;
import dev.conform.spi.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/** Builds the {@link Expr} tree from an expression's parse tree; the one place that does so. */
final class ExprBuilder extends ConformBaseVisitor<Expr> {
  private final TokenPositions positions;
  private final List<Diagnostic> diagnostics;

  ExprBuilder(TokenPositions positions, List<Diagnostic> diagnostics) {
    this.positions = positions;
    this.diagnostics = diagnostics;
  }

  Expr build(ConformParser.ExpressionContext context) {
    return visit(context);
  }

  private Position at(ParserRuleContext context) {
    return positions.at(context.getStart());
  }

  @Override
  public Expr visitStandaloneExpression(ConformParser.StandaloneExpressionContext ctx) {
    return visit(ctx.expression());
  }

  @Override
  public Expr visitExpression(ConformParser.ExpressionContext ctx) {
    return visit(ctx.orExpression());
  }

  @Override
  public Expr visitOrExpression(ConformParser.OrExpressionContext ctx) {
    return foldBinary(ctx);
  }

  @Override
  public Expr visitAndExpression(ConformParser.AndExpressionContext ctx) {
    return foldBinary(ctx);
  }

  @Override
  public Expr visitNegation(ConformParser.NegationContext ctx) {
    return new Expr.Unary(Expr.UnaryOperator.NOT, visit(ctx.notExpression()), at(ctx));
  }

  @Override
  public Expr visitPredicateExpression(ConformParser.PredicateExpressionContext ctx) {
    return visit(ctx.predicate());
  }

  @Override
  public Expr visitPredicate(ConformParser.PredicateContext ctx) {
    Expr left = visit(ctx.concatExpression());
    ConformParser.PredicateSuffixContext suffix = ctx.predicateSuffix();
    Position position = at(ctx);
    if (suffix == null) {
      return left;
    }
    if (suffix instanceof ConformParser.ComparisonContext comparison) {
      TerminalNode operator = (TerminalNode) comparison.comparisonOperator().getChild(0);
      return new Expr.Binary(
          binaryOperator(operator), left, visit(comparison.concatExpression()), position);
    }
    if (suffix instanceof ConformParser.IsNullContext isNull) {
      return new Expr.IsNull(left, isNull.NOT() != null, position);
    }
    if (suffix instanceof ConformParser.InListContext in) {
      return new Expr.In(left, visitAll(in.expression()), in.NOT() != null, position);
    }
    if (suffix instanceof ConformParser.BetweenContext between) {
      return new Expr.Between(
          left,
          visit(between.concatExpression(0)),
          visit(between.concatExpression(1)),
          between.NOT() != null,
          position);
    }
    ConformParser.LikeContext like = (ConformParser.LikeContext) suffix;
    return new Expr.Like(left, visit(like.concatExpression()), like.NOT() != null, position);
  }

  @Override
  public Expr visitConcatExpression(ConformParser.ConcatExpressionContext ctx) {
    return foldBinary(ctx);
  }

  @Override
  public Expr visitAdditiveExpression(ConformParser.AdditiveExpressionContext ctx) {
    return foldBinary(ctx);
  }

  @Override
  public Expr visitMultiplicativeExpression(ConformParser.MultiplicativeExpressionContext ctx) {
    return foldBinary(ctx);
  }

  @Override
  public Expr visitNegative(ConformParser.NegativeContext ctx) {
    return new Expr.Unary(Expr.UnaryOperator.NEGATE, visit(ctx.unaryExpression()), at(ctx));
  }

  @Override
  public Expr visitCastOrPrimary(ConformParser.CastOrPrimaryContext ctx) {
    return visit(ctx.castExpression());
  }

  @Override
  public Expr visitCastExpression(ConformParser.CastExpressionContext ctx) {
    Expr result = visit(ctx.primary());
    for (ConformParser.TypeNameContext typeName : ctx.typeName()) {
      Optional<DataType> type = dataType(typeName);
      if (type.isPresent()) {
        result = new Expr.Cast(result, type.get(), at(ctx));
      }
    }
    return result;
  }

  @Override
  public Expr visitLiteralPrimary(ConformParser.LiteralPrimaryContext ctx) {
    return visit(ctx.literal());
  }

  @Override
  public Expr visitCastCall(ConformParser.CastCallContext ctx) {
    Expr operand = visit(ctx.expression());
    return dataType(ctx.typeName())
        .<Expr>map(type -> new Expr.Cast(operand, type, at(ctx)))
        .orElse(operand);
  }

  @Override
  public Expr visitCaseExpression(ConformParser.CaseExpressionContext ctx) {
    List<ConformParser.ExpressionContext> parts = ctx.expression();
    int whenCount = ctx.WHEN().size();
    List<Expr.When> whens = new ArrayList<>();
    for (int i = 0; i < whenCount; i++) {
      whens.add(new Expr.When(visit(parts.get(2 * i)), visit(parts.get(2 * i + 1))));
    }
    Optional<Expr> otherwise =
        ctx.ELSE() == null ? Optional.empty() : Optional.of(visit(parts.get(2 * whenCount)));
    return new Expr.Case(whens, otherwise, at(ctx));
  }

  @Override
  public Expr visitFunctionCall(ConformParser.FunctionCallContext ctx) {
    String function = identifier(ctx.identifier()).toLowerCase(Locale.ROOT);
    return new Expr.Call(function, visitAll(ctx.expression()), at(ctx));
  }

  @Override
  public Expr visitListExpression(ConformParser.ListExpressionContext ctx) {
    return new Expr.ListOf(visitAll(ctx.expression()), at(ctx));
  }

  @Override
  public Expr visitColumnReference(ConformParser.ColumnReferenceContext ctx) {
    return new Expr.ColumnRef(identifier(ctx.identifier()), at(ctx));
  }

  @Override
  public Expr visitParenthesized(ConformParser.ParenthesizedContext ctx) {
    return visit(ctx.expression());
  }

  @Override
  public Expr visitNullLiteral(ConformParser.NullLiteralContext ctx) {
    return new Expr.Literal(LiteralKind.NULL, "", at(ctx));
  }

  @Override
  public Expr visitBooleanLiteral(ConformParser.BooleanLiteralContext ctx) {
    return new Expr.Literal(LiteralKind.BOOLEAN, ctx.getText().toLowerCase(Locale.ROOT), at(ctx));
  }

  @Override
  public Expr visitStringLiteral(ConformParser.StringLiteralContext ctx) {
    return new Expr.Literal(LiteralKind.STRING, unquote(ctx.STRING().getText()), at(ctx));
  }

  @Override
  public Expr visitIntegerLiteral(ConformParser.IntegerLiteralContext ctx) {
    return new Expr.Literal(LiteralKind.INTEGER, ctx.getText(), at(ctx));
  }

  @Override
  public Expr visitDecimalLiteral(ConformParser.DecimalLiteralContext ctx) {
    return new Expr.Literal(LiteralKind.DECIMAL, ctx.getText(), at(ctx));
  }

  @Override
  public Expr visitDateLiteral(ConformParser.DateLiteralContext ctx) {
    return new Expr.Literal(LiteralKind.DATE, unquote(ctx.STRING().getText()), at(ctx));
  }

  @Override
  public Expr visitTimestampLiteral(ConformParser.TimestampLiteralContext ctx) {
    return new Expr.Literal(LiteralKind.TIMESTAMP, unquote(ctx.STRING().getText()), at(ctx));
  }

  private List<Expr> visitAll(List<ConformParser.ExpressionContext> contexts) {
    List<Expr> result = new ArrayList<>(contexts.size());
    for (ConformParser.ExpressionContext context : contexts) {
      result.add(visit(context));
    }
    return result;
  }

  /** Folds {@code a op b op c} left to right; children alternate operand, operator, operand. */
  private Expr foldBinary(ParserRuleContext ctx) {
    Position position = at(ctx);
    Expr result = visit(ctx.getChild(0));
    for (int i = 1; i + 1 < ctx.getChildCount(); i += 2) {
      ParseTree operator = ctx.getChild(i);
      Expr right = visit(ctx.getChild(i + 1));
      result = new Expr.Binary(binaryOperator((TerminalNode) operator), result, right, position);
    }
    return result;
  }

  private static BinaryOperator binaryOperator(TerminalNode node) {
    switch (node.getSymbol().getType()) {
      case ConformLexer.OR:
        return BinaryOperator.OR;
      case ConformLexer.AND:
        return BinaryOperator.AND;
      case ConformLexer.EQ:
        return BinaryOperator.EQUAL;
      case ConformLexer.NEQ:
        return BinaryOperator.NOT_EQUAL;
      case ConformLexer.LT:
        return BinaryOperator.LESS;
      case ConformLexer.LE:
        return BinaryOperator.LESS_OR_EQUAL;
      case ConformLexer.GT:
        return BinaryOperator.GREATER;
      case ConformLexer.GE:
        return BinaryOperator.GREATER_OR_EQUAL;
      case ConformLexer.PLUS:
        return BinaryOperator.PLUS;
      case ConformLexer.MINUS:
        return BinaryOperator.MINUS;
      case ConformLexer.STAR:
        return BinaryOperator.TIMES;
      case ConformLexer.SLASH:
        return BinaryOperator.DIVIDE;
      case ConformLexer.PERCENT:
        return BinaryOperator.MODULO;
      case ConformLexer.CONCAT:
        return BinaryOperator.CONCAT;
      default:
        throw new IllegalStateException("Bug: no binary operator for '" + node.getText() + "'");
    }
  }

  private Optional<DataType> dataType(ConformParser.TypeNameContext ctx) {
    String text = ctx.getText();
    Optional<DataType> type = DataType.parse(text);
    if (type.isEmpty()) {
      diagnostics.add(unknownType(text, at(ctx)));
    }
    return type;
  }

  /** The diagnostic for a type name {@link DataType#parse} does not know. */
  static Diagnostic unknownType(String text, Position position) {
    return Diagnostic.error(
        DiagnosticCode.INVALID_TYPE,
        position,
        "unknown type '" + text + "'",
        "use string, boolean, integer, bigint, double, decimal(p,s), date or timestamp");
  }

  /** The name an identifier stands for: quoted identifiers lose their quotes. */
  static String identifier(ParserRuleContext ctx) {
    String text = ctx.getText();
    if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
      return text.substring(1, text.length() - 1).replace("\"\"", "\"");
    }
    return text;
  }

  /** The value of a single-quoted string token. */
  static String unquote(String token) {
    return token.substring(1, token.length() - 1).replace("''", "'");
  }
}
