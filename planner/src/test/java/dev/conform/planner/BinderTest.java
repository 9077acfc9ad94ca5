package dev.conform.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conform.dsl.DeleteMode;
import dev.conform.dsl.Diagnostic;
import dev.conform.dsl.DimensionSpec;
import dev.conform.dsl.Expression;
import dev.conform.dsl.ExpressionParser;
import dev.conform.dsl.FunctionCatalog;
import dev.conform.dsl.Position;
import dev.conform.dsl.SourceSpec;
import dev.conform.dsl.SpecException;
import dev.conform.spi.Column;
import dev.conform.spi.DataType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Binding reports name and type problems in expressions with their places, all at once. */
class BinderTest {
  private static final List<Column> COLUMNS =
      List.of(
          Column.of("customer_id", DataType.BIGINT),
          Column.of("name", DataType.STRING),
          Column.of("amount", DataType.decimal(12, 2)),
          Column.of("updated_at", DataType.TIMESTAMP));
  private static final SourceSpec SOURCE = Fixtures.source("customers", COLUMNS, Optional.empty());

  private static Expression expression(String text, int line) {
    Position at = Position.of("models/dim.yaml", line, 10);
    return new Expression(text, ExpressionParser.parse(text, at).expr().orElseThrow(), at);
  }

  private static DimensionSpec dimension(
      String sequence, List<Expression> checks, Optional<String> endOfTime) {
    return Fixtures.dimension(
        "dim_customer",
        "customers",
        List.of("customer_id"),
        Optional.empty(),
        Fixtures.scd(2, sequence, List.of(), List.of(), DeleteMode.CLOSE, endOfTime),
        List.of(),
        checks);
  }

  /** A Type 2 dimension over the customers with these output columns and checks. */
  private static DimensionSpec derived(
      List<dev.conform.dsl.DerivedColumn> columns, List<Expression> checks) {
    return new DimensionSpec(
        Fixtures.named("dim_customer"),
        Fixtures.named("customers"),
        List.of(Fixtures.named("customer_id")),
        Optional.empty(),
        Fixtures.scd(2, "updated_at", List.of(), List.of(), DeleteMode.CLOSE, Optional.empty()),
        columns,
        Optional.empty(),
        checks,
        dev.conform.dsl.CheckFailureMode.QUARANTINE,
        Position.NONE);
  }

  @Test
  void reportsEveryTypeAndNameProblemWithItsPlace() {
    DimensionSpec dimension =
        dimension(
            "updated_at",
            List.of(
                expression("name + 1 > 0", 3),
                expression("amout > 0", 4),
                expression("upper(amount) = 'X'", 5),
                expression("nme", 6)),
            Optional.empty());

    assertDiagnostics(
        dimension,
        "models/dim.yaml:3:10: error TYPE_MISMATCH: '+' needs a number, not string",
        "models/dim.yaml:4:10: error UNKNOWN_COLUMN: cannot resolve column 'amout' in"
            + " dimension 'dim_customer' or source 'customers'; did you mean 'amount'?",
        "models/dim.yaml:5:16: error TYPE_MISMATCH: upper needs a string, not" + " decimal(12,2)",
        "models/dim.yaml:6:10: error UNKNOWN_COLUMN: cannot resolve column 'nme' in"
            + " dimension 'dim_customer' or source 'customers'; did you mean 'name'?");
  }

  @Test
  void reportsValuesOfDifferentKindsMixedInOneExpression() {
    DimensionSpec dimension =
        dimension(
            "updated_at",
            List.of(
                expression("coalesce(name, 1) = 'x'", 3),
                expression("name in ('a', 1)", 4),
                expression("case when amount > 1 then 'x' else 2 end = 'x'", 5),
                expression("greatest(name, amount) = 'x'", 6),
                expression("accepted_values(name, ['a', 1])", 7)),
            Optional.empty());

    assertDiagnostics(
        dimension,
        "models/dim.yaml:3:25: error TYPE_MISMATCH: cannot mix string and integer" + " in coalesce",
        "models/dim.yaml:4:24: error TYPE_MISMATCH: cannot mix string and integer" + " in IN",
        "models/dim.yaml:5:45: error TYPE_MISMATCH: cannot mix string and integer"
            + " in the results of CASE",
        "models/dim.yaml:6:25: error TYPE_MISMATCH: cannot mix string and"
            + " decimal(12,2) in greatest",
        "models/dim.yaml:7:38: error TYPE_MISMATCH: cannot mix string and integer"
            + " in accepted_values");
  }

  @Test
  void dividesByANullWithoutAnError() {
    DimensionSpec dimension =
        dimension(
            "updated_at",
            List.of(
                expression("customer_id / null is null", 3),
                expression("mod(customer_id, null) is null", 4),
                expression("null % 2 is null", 5)),
            Optional.empty());

    assertThatCode(() -> new Binder().bind(dimension, SOURCE, COLUMNS)).doesNotThrowAnyException();
  }

  /** Binding {@code dimension} fails with exactly these diagnostics, in this order. */
  private static void assertDiagnostics(DimensionSpec dimension, String... expected) {
    assertThatThrownBy(() -> new Binder().bind(dimension, SOURCE, COLUMNS))
        .isInstanceOf(SpecException.class)
        .satisfies(
            e ->
                assertThat(((SpecException) e).diagnostics().stream().map(Diagnostic::format))
                    .containsExactly(expected));
  }

  @Test
  void rejectsASequenceThatIsNotOrderedAndAnEndOfTimeOfAnotherType() {
    assertThatThrownBy(
            () ->
                new Binder().bind(dimension("name", List.of(), Optional.empty()), SOURCE, COLUMNS))
        .hasMessage(
            "<none>:0:0: error TYPE_MISMATCH: sequence_by must be a number, date or timestamp, but"
                + " is string");
    assertThatThrownBy(
            () ->
                new Binder()
                    .bind(
                        dimension("customer_id", List.of(), Optional.of("9999-12-31")),
                        SOURCE,
                        COLUMNS))
        .hasMessage(
            "<none>:0:0: error TYPE_MISMATCH: end_of_time '9999-12-31' is not a value of the"
                + " sequence's type bigint");
  }

  @Test
  void rejectsColumnsNamedLikeTheEnginesRowIdsOrConformsOwn() {
    List<Column> columns =
        List.of(
            Column.of("customer_id", DataType.BIGINT),
            Column.of("rowid", DataType.BIGINT),
            Column.of("_conform_seq", DataType.BIGINT),
            Column.of("updated_at", DataType.TIMESTAMP));
    DimensionSpec dimension =
        Fixtures.dimension(
            "dim_customer",
            "customers",
            List.of("customer_id"),
            Optional.empty(),
            Fixtures.scd(2, "updated_at", List.of(), List.of(), DeleteMode.CLOSE, Optional.empty()),
            List.of("rowid", "_conform_seq"),
            List.of());

    assertThatThrownBy(
            () ->
                new Binder()
                    .bind(
                        dimension,
                        Fixtures.source("customers", columns, Optional.empty()),
                        columns))
        .hasMessage(
            "<none>:0:0: error RESERVED_NAME: column '_conform_seq' of dimension 'dim_customer' has"
                + " a name the warehouse or Conform keeps for itself; rename the column; names"
                + " starting with _conform_ and the engines' row ids (rowid, ctid, oid, tableoid,"
                + " xmin, xmax, cmin, cmax) are reserved\n"
                + "<none>:0:0: error RESERVED_NAME: column 'rowid' of dimension 'dim_customer' has"
                + " a name the warehouse or Conform keeps for itself; rename the column; names"
                + " starting with _conform_ and the engines' row ids (rowid, ctid, oid, tableoid,"
                + " xmin, xmax, cmin, cmax) are reserved");
  }

  /** Every function validation accepts, called with its fewest arguments, can be planned. */
  @Test
  void everyFunctionTheCatalogOffersTranslates() {
    Map<String, String> calls = new LinkedHashMap<>();
    calls.put("trim", "trim(name)");
    calls.put("ltrim", "ltrim(name)");
    calls.put("rtrim", "rtrim(name)");
    calls.put("upper", "upper(name)");
    calls.put("lower", "lower(name)");
    calls.put("length", "length(name)");
    calls.put("substr", "substr(name, 1)");
    calls.put("substring", "substring(name, 1)");
    calls.put("replace", "replace(name, 'a', 'b')");
    calls.put("concat", "concat(name)");
    calls.put("coalesce", "coalesce(name)");
    calls.put("nullif", "nullif(name, 'x')");
    calls.put("abs", "abs(amount)");
    calls.put("round", "round(amount)");
    calls.put("floor", "floor(amount)");
    calls.put("ceil", "ceil(amount)");
    calls.put("mod", "mod(customer_id, 2)");
    calls.put("greatest", "greatest(amount, 1)");
    calls.put("least", "least(amount, 1)");
    calls.put("year", "year(updated_at)");
    calls.put("month", "month(updated_at)");
    calls.put("day", "day(updated_at)");
    calls.put("current_date", "current_date()");
    calls.put("not_null", "not_null(name)");
    calls.put("accepted_values", "accepted_values(name, ['a'])");
    assertThat(calls.keySet()).containsExactlyElementsOf(FunctionCatalog.names());

    List<dev.conform.dsl.DerivedColumn> columns = new ArrayList<>();
    List<Expression> checks = new ArrayList<>();
    int line = 1;
    for (Map.Entry<String, String> call : calls.entrySet()) {
      Expression expression = expression(call.getValue(), line++);
      if (FunctionCatalog.lookup(call.getKey()).orElseThrow().kind()
          == FunctionCatalog.Kind.CHECK) {
        checks.add(expression);
      } else {
        columns.add(
            new dev.conform.dsl.DerivedColumn(Fixtures.named("f_" + call.getKey()), expression));
      }
    }
    assertThat(new Binder().bind(derived(columns, checks), SOURCE, COLUMNS).payload())
        .hasSize(columns.size());
  }

  @Test
  void checksSeeDerivedOutputColumns() {
    DimensionSpec dimension =
        derived(
            List.of(
                new dev.conform.dsl.DerivedColumn(
                    Fixtures.named("plan"),
                    expression("case when amount > 100 then 'big' else 'small' end", 2))),
            List.of(expression("accepted_values(plan, ['big', 'small'])", 7)));

    BoundDimension bound = new Binder().bind(dimension, SOURCE, COLUMNS);

    assertThat(bound.payload())
        .extracting(BoundDimension.OutputColumn::column)
        .containsExactly(Column.of("plan", DataType.STRING));
  }
}
