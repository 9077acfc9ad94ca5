package dev.conform.dsl;

import dev.conform.dsl.expr.Expr;
import dev.conform.dsl.parser.ConformLexer;
import dev.conform.dsl.parser.ConformParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;

/** Parses text in the shared expression language, e.g. a YAML scalar, into an {@link Expr}. */
public final class ExpressionParser {
  private ExpressionParser() {}

  /**
   * Parses {@code text}, which starts at {@code start} in its spec file; diagnostics point at the
   * offending token, also on later lines of a multi-line text.
   */
  public static ParsedExpression parse(String text, Position start) {
    TokenPositions positions = TokenPositions.from(start);
    SyntaxErrorCollector errors =
        new SyntaxErrorCollector(DiagnosticCode.EXPRESSION_SYNTAX, "expression", positions);
    ConformLexer lexer =
        new ConformLexer(CharStreams.fromString(text.stripTrailing(), start.file()));
    lexer.removeErrorListeners();
    ConformParser parser = new ConformParser(new CommonTokenStream(lexer));
    parser.removeErrorListeners();
    parser.addErrorListener(errors);
    ConformParser.StandaloneExpressionContext tree = parser.standaloneExpression();
    if (errors.hasErrors()) {
      // The first error is the one to fix; what follows is usually its echo.
      return new ParsedExpression(Optional.empty(), errors.diagnostics().subList(0, 1));
    }
    List<Diagnostic> diagnostics = new ArrayList<>();
    Expr expr = new ExprBuilder(positions, diagnostics).visit(tree);
    return diagnostics.isEmpty()
        ? new ParsedExpression(Optional.of(expr), List.of())
        : new ParsedExpression(Optional.empty(), diagnostics);
  }
}
