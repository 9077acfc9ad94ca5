package dev.conform.dsl;

import dev.conform.dsl.parser.ConformLexer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.Vocabulary;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Turns ANTLR syntax errors into diagnostics people can act on: what was found, and what could have
 * come instead, described in words rather than token names.
 */
final class SyntaxErrorCollector extends BaseErrorListener {
  private static final Set<Integer> OPERAND_STARTS =
      Set.of(
          ConformLexer.INTEGER_VALUE,
          ConformLexer.DECIMAL_VALUE,
          ConformLexer.STRING,
          ConformLexer.NULL,
          ConformLexer.TRUE,
          ConformLexer.FALSE,
          ConformLexer.CASE,
          ConformLexer.CAST,
          ConformLexer.LBRACKET,
          ConformLexer.MINUS,
          ConformLexer.NOT,
          ConformLexer.LPAREN);
  private static final Set<Integer> OPERATORS =
      Set.of(
          ConformLexer.EQ,
          ConformLexer.NEQ,
          ConformLexer.LT,
          ConformLexer.LE,
          ConformLexer.GT,
          ConformLexer.GE,
          ConformLexer.PLUS,
          ConformLexer.MINUS,
          ConformLexer.STAR,
          ConformLexer.SLASH,
          ConformLexer.PERCENT,
          ConformLexer.CONCAT,
          ConformLexer.AND,
          ConformLexer.OR,
          ConformLexer.IS,
          ConformLexer.IN,
          ConformLexer.BETWEEN,
          ConformLexer.LIKE,
          ConformLexer.NOT,
          ConformLexer.DOUBLE_COLON);

  private final DiagnosticCode code;
  private final String subject;
  private final TokenPositions positions;
  private final List<Diagnostic> diagnostics = new ArrayList<>();
  private final Set<Integer> linesWithErrors = new LinkedHashSet<>();

  /**
   * @param subject what is being parsed, as in "cannot parse expression", "cannot parse spec"
   */
  SyntaxErrorCollector(DiagnosticCode code, String subject, TokenPositions positions) {
    this.code = code;
    this.subject = subject;
    this.positions = positions;
  }

  List<Diagnostic> diagnostics() {
    return List.copyOf(diagnostics);
  }

  boolean hasErrors() {
    return !diagnostics.isEmpty();
  }

  @Override
  public void syntaxError(
      Recognizer<?, ?> recognizer,
      Object offendingSymbol,
      int line,
      int charPositionInLine,
      String msg,
      RecognitionException e) {
    // After the first error on a line, ANTLR's recovery often reports follow-on errors that
    // only repeat the first one; one error per line reads better.
    if (!linesWithErrors.add(line)) {
      return;
    }
    Position position = positions.at(line, charPositionInLine);
    if (!(offendingSymbol instanceof Token token) || !(recognizer instanceof Parser parser)) {
      diagnostics.add(Diagnostic.error(code, position, "cannot parse " + subject + ": " + msg));
      return;
    }
    String message = "cannot parse " + subject + ": " + unexpected(token);
    if (token.getType() == ConformLexer.UNTERMINATED_STRING) {
      diagnostics.add(
          Diagnostic.error(code, position, message, "close the string with a single quote"));
      return;
    }
    String expected = expected(parser);
    diagnostics.add(
        expected.isEmpty()
            ? Diagnostic.error(code, position, message)
            : Diagnostic.error(code, position, message, "expected " + expected));
  }

  private String unexpected(Token token) {
    if (token.getType() == Token.EOF) {
      return "unexpected end of " + subject;
    }
    if (token.getType() == ConformLexer.UNTERMINATED_STRING) {
      return "unterminated string " + abbreviate(token.getText());
    }
    return "unexpected '" + abbreviate(token.getText()) + "'";
  }

  private static String abbreviate(String text) {
    return text.length() > 30 ? text.substring(0, 27) + "..." : text;
  }

  private String expected(Parser parser) {
    IntervalSet expected;
    try {
      expected = parser.getExpectedTokens();
    } catch (RuntimeException e) {
      return "";
    }
    List<Integer> tokens = new ArrayList<>(expected.toList());
    List<String> words = new ArrayList<>();
    boolean names = tokens.contains(ConformLexer.IDENTIFIER);
    if (names && tokens.contains(ConformLexer.INTEGER_VALUE)) {
      words.add("an operand");
      tokens.removeIf(t -> OPERAND_STARTS.contains(t) || isNameToken(t));
    } else if (names) {
      words.add("a name");
      tokens.removeIf(SyntaxErrorCollector::isNameToken);
    }
    if (tokens.contains(ConformLexer.PLUS) && tokens.contains(ConformLexer.AND)) {
      words.add("an operator");
      tokens.removeIf(OPERATORS::contains);
    }
    boolean end = tokens.remove(Integer.valueOf(Token.EOF));
    for (int token : tokens) {
      words.add(describe(parser.getVocabulary(), token));
    }
    if (end) {
      words.add("end of " + subject);
    }
    return join(words);
  }

  private static boolean isNameToken(int type) {
    return type == ConformLexer.IDENTIFIER
        || type == ConformLexer.QUOTED_IDENTIFIER
        || type == ConformLexer.DATE
        || type == ConformLexer.TIMESTAMP
        // The DSL's keywords, declared in a row from SOURCE to CDC in Conform.g4.
        || (type >= ConformLexer.SOURCE && type <= ConformLexer.CDC);
  }

  private static String describe(Vocabulary vocabulary, int type) {
    switch (type) {
      case ConformLexer.STRING:
        return "a quoted string";
      case ConformLexer.INTEGER_VALUE:
        return "a whole number";
      case ConformLexer.DECIMAL_VALUE:
        return "a decimal number";
      case ConformLexer.IDENTIFIER:
      case ConformLexer.QUOTED_IDENTIFIER:
        return "a name";
      case ConformLexer.NEQ:
        return "'<>'";
      default:
        break;
    }
    String literal = vocabulary.getLiteralName(type);
    if (literal != null) {
      return literal;
    }
    return "'" + vocabulary.getSymbolicName(type).toLowerCase(Locale.ROOT) + "'";
  }

  private static String join(List<String> words) {
    if (words.size() <= 1) {
      return words.isEmpty() ? "" : words.get(0);
    }
    return String.join(", ", words.subList(0, words.size() - 1))
        + " or "
        + words.get(words.size() - 1);
  }
}
