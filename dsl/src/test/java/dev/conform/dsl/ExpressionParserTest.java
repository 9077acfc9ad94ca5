package dev.conform.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conform.dsl.expr.Expr;
import dev.conform.spi.DataType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExpressionParserTest {
  private static final Position START = Position.of("models/dim.yaml", 12, 20);

  private static Expr parse(String text) {
    ParsedExpression parsed = ExpressionParser.parse(text, START);
    assertThat(parsed.diagnostics()).isEmpty();
    return parsed.expr().orElseThrow();
  }

  @ParameterizedTest
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '`',
      value = {
        "a + b * c => a + b * c",
        "(a + b) * c => (a + b) * c",
        "a - (b - c) => a - (b - c)",
        "a - b - c => a - b - c",
        "trim(first_name) || ' ' || last_name => trim(first_name) || ' ' || last_name",
        "NOT a = 1 OR b AND c => not a = 1 or b and c",
        "(a or b) and c => (a or b) and c",
        "x IS NOT NULL => x is not null",
        "x not in (1, 2.5, 'it''s') => x not in (1, 2.5, 'it''s')",
        "x BETWEEN 1 AND 10 and y => x between 1 and 10 and y",
        "name NOT LIKE 'A%' => name not like 'A%'",
        "CASE WHEN a > 1 THEN 'big' WHEN a < 0 THEN 'neg' ELSE 'small' END"
            + " => case when a > 1 then 'big' when a < 0 then 'neg' else 'small' end",
        "CAST(amount AS decimal(12, 2)) => cast(amount as decimal(12,2))",
        "amount::int::string => cast(cast(amount as integer) as string)",
        "date '2020-01-01' < timestamp '2020-01-01 10:00:00' => date '2020-01-01' < timestamp"
            + " '2020-01-01 10:00:00'",
        "accepted_values(plan, ['prepaid', 'postpaid']) => accepted_values(plan, ['prepaid',"
            + " 'postpaid'])",
        "-(-x) => -(-x)",
        "- 5 % 3 => -5 % 3",
        "\"End\" <> null => \"End\" <> null",
        "a != b => a <> b",
        "TRUE = False => true = false",
        "current_date() >= date => current_date() >= date",
        "(a = b) = c => (a = b) = c",
      })
  void printsCanonicalText(String text, String canonical) {
    assertThat(ExpressionPrinter.print(parse(text))).isEqualTo(canonical);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a + b * c - d / e % f",
        "not (a or b) and c is null",
        "case when x in (1, 2) then -y else coalesce(z, 0) end || 'x'",
        "-(a + b)::bigint",
        "\"weird name\" between 1 and 2 or key like 'k%'",
        "greatest(a, least(b, c)) > 3 and not d",
      })
  void roundTripsThroughThePrinter(String text) {
    Expr first = parse(text);
    Expr second = parse(ExpressionPrinter.print(first));
    assertThat(Models.withoutPositions(second)).isEqualTo(Models.withoutPositions(first));
  }

  @Test
  void buildsTheTreeWithPositions() {
    Expr expr = parse("a + trim(b)");
    assertThat(expr).isInstanceOf(Expr.Binary.class);
    Expr.Binary binary = (Expr.Binary) expr;
    assertThat(binary.operator()).isEqualTo(Expr.BinaryOperator.PLUS);
    assertThat(binary.position()).isEqualTo(Position.of("models/dim.yaml", 12, 20));
    assertThat(binary.right().position()).isEqualTo(Position.of("models/dim.yaml", 12, 24));
    assertThat(((Expr.Call) binary.right()).function()).isEqualTo("trim");
  }

  @Test
  void keywordsAreCaseInsensitiveAndCanNameColumns() {
    Expr expr = parse("Key Is Not Null AnD date = Date '2020-01-01'");
    assertThat(ExpressionPrinter.print(expr))
        .isEqualTo("Key is not null and date = date '2020-01-01'");
  }

  @Test
  void castsToTheTypeDataTypeParses() {
    Expr.Cast cast = (Expr.Cast) parse("x::decimal(10,2)");
    assertThat(cast.type()).isEqualTo(DataType.decimal(10, 2));
  }

  @Test
  void reportsTheOffendingTokenAndWhatWasExpected() {
    ParsedExpression parsed = ExpressionParser.parse("trim(a, )", START);
    assertThat(parsed.expr()).isEmpty();
    assertThat(parsed.diagnostics())
        .extracting(Diagnostic::format)
        .containsExactly(
            "models/dim.yaml:12:28: error EXPRESSION_SYNTAX: cannot parse expression: unexpected"
                + " ')'; expected an operand");
  }

  @Test
  void reportsAMissingOperandAtTheEnd() {
    assertThat(ExpressionParser.parse("a +", START).diagnostics())
        .extracting(Diagnostic::format)
        .containsExactly(
            "models/dim.yaml:12:23: error EXPRESSION_SYNTAX: cannot parse expression: unexpected"
                + " end of expression; expected an operand");
  }

  @Test
  void reportsErrorsOnLaterLinesAtTheirOwnLine() {
    assertThat(ExpressionParser.parse("a +\n  b c", START).diagnostics())
        .extracting(Diagnostic::position)
        .containsExactly(Position.of("models/dim.yaml", 13, 5));
  }

  @Test
  void reportsAnUnterminatedString() {
    assertThat(ExpressionParser.parse("status = 'open", START).diagnostics())
        .extracting(Diagnostic::format)
        .containsExactly(
            "models/dim.yaml:12:29: error EXPRESSION_SYNTAX: cannot parse expression: unterminated"
                + " string 'open; close the string with a single quote");
  }

  @Test
  void reportsAnUnknownTypeAsInvalidType() {
    List<Diagnostic> diagnostics = ExpressionParser.parse("cast(x as money)", START).diagnostics();
    assertThat(diagnostics)
        .extracting(Diagnostic::code)
        .containsExactly(DiagnosticCode.INVALID_TYPE);
    assertThat(diagnostics.get(0).message()).isEqualTo("unknown type 'money'");
    assertThat(diagnostics.get(0).position()).isEqualTo(Position.of("models/dim.yaml", 12, 30));
  }
}
