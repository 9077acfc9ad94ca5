package dev.conform.dsl;

import dev.conform.dsl.expr.Expr;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Checks a whole project for problems that reading single files cannot see: names that clash or
 * resolve to nothing, columns and functions that do not exist, settings that contradict each other.
 * Reports every problem, sorted, never only the first.
 */
public final class Validator {
  private static final DateTimeFormatter TIMESTAMP =
      new DateTimeFormatterBuilder()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .appendLiteral(' ')
          .append(DateTimeFormatter.ofPattern("HH:mm:ss"))
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
          .optionalEnd()
          .toFormatter();

  private final ProjectSpec project;
  private final List<Diagnostic> diagnostics = new ArrayList<>();
  private final Map<String, SourceSpec> sources = new HashMap<>();
  private final Map<String, DimensionSpec> dimensions = new HashMap<>();
  private final Map<String, ConnectionSpec> connections = new HashMap<>();
  private final Set<String> duplicateSources = new java.util.HashSet<>();

  private Validator(ProjectSpec project) {
    this.project = project;
  }

  /** Every problem in {@code project}, sorted by {@link Diagnostic#ORDER}. */
  public static List<Diagnostic> validate(ProjectSpec project) {
    Validator validator = new Validator(project);
    validator.run();
    return validator.diagnostics.stream().sorted(Diagnostic.ORDER).toList();
  }

  private void run() {
    for (ConnectionSpec connection : project.connections()) {
      unique(connections, connection.name(), connection, connection.position(), "connection");
    }
    if (!connections.containsKey(project.target().name())) {
      unknown(
          DiagnosticCode.UNKNOWN_CONNECTION,
          project.target(),
          "target connection",
          connections.keySet());
    }
    for (SourceSpec source : project.sources()) {
      if (sources.containsKey(source.name().name())) {
        duplicateSources.add(source.name().name());
      }
      unique(sources, source.name().name(), source, source.name().position(), "source");
    }
    for (DimensionSpec dimension : project.dimensions()) {
      unique(
          dimensions, dimension.name().name(), dimension, dimension.name().position(), "dimension");
    }
    Map<String, TestSpec> tests = new HashMap<>();
    for (TestSpec test : project.tests()) {
      unique(tests, test.name().name(), test, test.name().position(), "test");
    }
    project.sources().forEach(this::source);
    project.dimensions().forEach(this::dimension);
    project.tests().forEach(this::test);
  }

  private <T> void unique(
      Map<String, T> seen, String name, T value, Position position, String what) {
    T previous = seen.putIfAbsent(name, value);
    if (previous != null) {
      diagnostics.add(
          Diagnostic.error(
              DiagnosticCode.DUPLICATE_NAME,
              position,
              "duplicate " + what + " name '" + name + "'",
              "first declared at " + positionOf(previous)));
    }
  }

  private static Position positionOf(Object declaration) {
    if (declaration instanceof SourceSpec source) {
      return source.name().position();
    }
    if (declaration instanceof DimensionSpec dimension) {
      return dimension.name().position();
    }
    if (declaration instanceof TestSpec test) {
      return test.name().position();
    }
    if (declaration instanceof ConnectionSpec connection) {
      return connection.position();
    }
    if (declaration instanceof Named named) {
      return named.position();
    }
    return ((ColumnSpec) declaration).position();
  }

  private void unknown(DiagnosticCode code, Named name, String what, Set<String> known) {
    String message = "cannot resolve " + what + " '" + name.name() + "'";
    Optional<String> hint = Suggestions.didYouMean(name.name(), known);
    diagnostics.add(
        hint.isPresent()
            ? Diagnostic.error(code, name.position(), message, hint.get())
            : Diagnostic.error(code, name.position(), message));
  }

  private void source(SourceSpec source) {
    ConnectionSpec connection = connections.get(source.connection().name());
    if (connection == null) {
      unknown(
          DiagnosticCode.UNKNOWN_CONNECTION,
          source.connection(),
          "connection",
          connections.keySet());
    }
    SourceValidator.validate(source, Optional.ofNullable(connection), diagnostics::add);
    Map<String, ColumnSpec> columns = new HashMap<>();
    for (ColumnSpec column : source.columns()) {
      unique(columns, column.name(), column, column.position(), "column");
    }
    Optional<Set<String>> known = declaredColumns(source);
    source
        .deleteWhen()
        .ifPresent(e -> expression(e, known, "source '" + source.name() + "'", false));
  }

  /** The source's declared columns; unknown when it declares none or its name is ambiguous. */
  private Optional<Set<String>> declaredColumns(SourceSpec source) {
    if (source.columns().isEmpty() || duplicateSources.contains(source.name().name())) {
      return Optional.empty();
    }
    Set<String> names = new LinkedHashSet<>();
    source.columns().forEach(c -> names.add(c.name()));
    source.changeColumns().forEach(c -> names.add(c.name()));
    return Optional.of(names);
  }

  /**
   * Warns when a dimension over Debezium events is sequenced by {@code _cdc_at}: a snapshot read
   * carries the time Debezium read the row, which can be after updates streamed later, so only the
   * log position follows the source's commit order.
   */
  private void debeziumSequence(SourceSpec source, ScdSpec scd) {
    boolean debezium =
        source.path().isPresent()
            && source.cdc().map(c -> c.strategy().name().equals(CdcSpec.LOG)).orElse(false);
    if (debezium
        && scd.sequenceBy().ast() instanceof Expr.ColumnRef ref
        && ref.name().equals(CdcSpec.AT_COLUMN)) {
      diagnostics.add(
          Diagnostic.warning(
              DiagnosticCode.SEQUENCE_NOT_IN_SOURCE_ORDER,
              scd.sequenceBy().position(),
              "sequence_by "
                  + CdcSpec.AT_COLUMN
                  + " does not follow the commit order of the Debezium events of source '"
                  + source.name()
                  + "': a snapshot read carries the time Debezium read the row, which can be"
                  + " after updates streamed later",
              "sequence by "
                  + CdcSpec.POSITION_COLUMN
                  + ", and carry "
                  + CdcSpec.AT_COLUMN
                  + " as a column"));
    }
  }

  private void dimension(DimensionSpec dimension) {
    SourceSpec source = sources.get(dimension.from().name());
    if (source == null) {
      unknown(DiagnosticCode.UNKNOWN_SOURCE, dimension.from(), "source", sources.keySet());
    }
    Optional<Set<String>> sourceColumns =
        source == null ? Optional.empty() : declaredColumns(source);
    String where = source == null ? "" : "source '" + source.name() + "'";
    ScdSpec scd = dimension.scd();
    if (scd.type() != 1 && scd.type() != 2) {
      diagnostics.add(
          Diagnostic.error(
              DiagnosticCode.INVALID_VALUE,
              scd.position(),
              "invalid scd type " + scd.type(),
              "use 1 or 2"));
    }
    if (scd.type() == 1 && !scd.track().isEmpty()) {
      diagnostics.add(
          Diagnostic.error(
              DiagnosticCode.INVALID_VALUE,
              scd.track().get(0).position(),
              "track applies to scd type 2 only",
              "remove track, or use scd type 2"));
    }
    scd.endOfTime()
        .filter(text -> !isDate(text) && !isTimestamp(text))
        .ifPresent(
            text ->
                diagnostics.add(
                    Diagnostic.error(
                        DiagnosticCode.INVALID_VALUE,
                        scd.position(),
                        "invalid end_of_time '" + text + "'",
                        "use a date (2999-12-31) or a timestamp (2999-12-31 00:00:00)")));
    sourceColumns.ifPresent(
        known -> {
          for (Named key : dimension.businessKey()) {
            column(key, known, where);
          }
        });
    expression(scd.sequenceBy(), sourceColumns, where, false);
    if (source != null) {
      debeziumSequence(source, scd);
    }
    scd.tieBreaker().forEach(e -> expression(e, sourceColumns, where, false));
    dimension.where().ifPresent(e -> expression(e, sourceColumns, where, false));

    Map<String, Named> outputs = new HashMap<>();
    for (DerivedColumn column : dimension.columns()) {
      unique(outputs, column.name().name(), column.name(), column.name().position(), "column");
      expression(column.expression(), sourceColumns, where, false);
    }
    Optional<Set<String>> outputColumns = outputColumns(dimension, sourceColumns);
    String dimensionWhere = "dimension '" + dimension.name() + "'";
    outputColumns.ifPresent(
        known -> {
          for (Named tracked : scd.track()) {
            column(tracked, known, dimensionWhere);
          }
          dimension
              .surrogateKey()
              .filter(key -> known.contains(key.name()))
              .ifPresent(
                  key ->
                      diagnostics.add(
                          Diagnostic.error(
                              DiagnosticCode.DUPLICATE_NAME,
                              key.position(),
                              "surrogate key '"
                                  + key.name()
                                  + "' is also a column of "
                                  + dimensionWhere,
                              "choose another name, e.g. '" + dimension.name() + "_sk'")));
        });
    Optional<Set<String>> checkColumns =
        outputColumns.flatMap(
            out ->
                sourceColumns.map(
                    in -> {
                      Set<String> all = new LinkedHashSet<>(out);
                      all.addAll(in);
                      return all;
                    }));
    for (Expression check : dimension.checks()) {
      expression(check, checkColumns, dimensionWhere, true);
    }
  }

  /** The columns a dimension outputs besides its SCD bookkeeping, when they are known. */
  private static Optional<Set<String>> outputColumns(
      DimensionSpec dimension, Optional<Set<String>> sourceColumns) {
    if (dimension.columns().isEmpty()) {
      return sourceColumns;
    }
    Set<String> names = new LinkedHashSet<>();
    dimension.businessKey().forEach(k -> names.add(k.name()));
    dimension.columns().forEach(c -> names.add(c.name().name()));
    return Optional.of(names);
  }

  private void column(Named name, Set<String> known, String where) {
    if (!known.contains(name.name())) {
      unknown(DiagnosticCode.UNKNOWN_COLUMN, name, "column", known, where);
    }
  }

  private void unknown(
      DiagnosticCode code, Named name, String what, Set<String> known, String where) {
    diagnostics.add(cannotResolve(code, name, what, known, where));
  }

  /** "cannot resolve {what} 'name' in {where}", with a "did you mean" hint when one is close. */
  static Diagnostic cannotResolve(
      DiagnosticCode code, Named name, String what, Set<String> known, String where) {
    String message =
        "cannot resolve "
            + what
            + " '"
            + name.name()
            + "'"
            + (where.isEmpty() ? "" : " in " + where);
    Optional<String> hint = Suggestions.didYouMean(name.name(), known);
    return hint.isPresent()
        ? Diagnostic.error(code, name.position(), message, hint.get())
        : Diagnostic.error(code, name.position(), message);
  }

  /**
   * Checks functions, literals and (when known) column references of one expression. A check may
   * use check functions at its top.
   */
  private void expression(
      Expression expression, Optional<Set<String>> columns, String where, boolean check) {
    Expr root = expression.ast();
    walk(
        root,
        expr -> {
          if (expr instanceof Expr.ColumnRef ref && columns.isPresent()) {
            column(new Named(ref.name(), ref.position()), columns.get(), where);
          } else if (expr instanceof Expr.Call call) {
            call(call, check && call == root);
          } else if (expr instanceof Expr.Literal literal) {
            literal(literal);
          }
        });
  }

  private void call(Expr.Call call, boolean checkAllowed) {
    Optional<FunctionCatalog.Function> function = FunctionCatalog.lookup(call.function());
    if (function.isEmpty()) {
      String message = "unknown function '" + call.function() + "'";
      Optional<String> hint = Suggestions.didYouMean(call.function(), FunctionCatalog.names());
      diagnostics.add(
          hint.isPresent()
              ? Diagnostic.error(
                  DiagnosticCode.UNKNOWN_FUNCTION, call.position(), message, hint.get())
              : Diagnostic.error(DiagnosticCode.UNKNOWN_FUNCTION, call.position(), message));
      return;
    }
    FunctionCatalog.Function known = function.get();
    if (known.kind() == FunctionCatalog.Kind.CHECK && !checkAllowed) {
      diagnostics.add(
          Diagnostic.error(
              DiagnosticCode.UNKNOWN_FUNCTION,
              call.position(),
              "'" + known.name() + "' is a check and can only be a whole check",
              "move it to checks"));
    }
    if (!known.accepts(call.arguments().size())) {
      diagnostics.add(
          Diagnostic.error(
              DiagnosticCode.WRONG_ARGUMENTS,
              call.position(),
              "function '"
                  + known.name()
                  + "' takes "
                  + known.arity()
                  + (known.arity().endsWith(" 1") || known.arity().equals("1")
                      ? " argument"
                      : " arguments")
                  + ", found "
                  + call.arguments().size()));
    } else if (known.name().equals("accepted_values")
        && !(call.arguments().get(1) instanceof Expr.ListOf)) {
      diagnostics.add(
          Diagnostic.error(
              DiagnosticCode.WRONG_ARGUMENTS,
              call.arguments().get(1).position(),
              "accepted_values needs a list of values as its second argument",
              "write accepted_values(column, ['a', 'b'])"));
    }
  }

  private void literal(Expr.Literal literal) {
    boolean valid =
        switch (literal.kind()) {
          case DATE -> isDate(literal.text());
          case TIMESTAMP -> isTimestamp(literal.text()) || isDate(literal.text());
          case NULL, STRING, INTEGER, DECIMAL, BOOLEAN -> true;
        };
    if (!valid) {
      diagnostics.add(
          Diagnostic.error(
              DiagnosticCode.INVALID_VALUE,
              literal.position(),
              "invalid "
                  + literal.kind().name().toLowerCase(java.util.Locale.ROOT)
                  + " '"
                  + literal.text()
                  + "'",
              "write dates as 2020-01-31 and timestamps as 2020-01-31 10:00:00"));
    }
  }

  private void test(TestSpec test) {
    DimensionSpec model = dimensions.get(test.model().name());
    if (model == null) {
      unknown(DiagnosticCode.UNKNOWN_MODEL, test.model(), "model", dimensions.keySet());
      return;
    }
    String reads = model.from().name();
    if (!sources.containsKey(reads)) {
      // The model's own source is already reported; its tests would only repeat it.
      return;
    }
    for (TestBatch batch : test.batches()) {
      for (Map.Entry<String, TestTable> entry : batch.sources().entrySet()) {
        if (!entry.getKey().equals(reads)) {
          diagnostics.add(
              Diagnostic.error(
                  DiagnosticCode.UNKNOWN_SOURCE,
                  entry.getValue().position(),
                  "test '"
                      + test.name()
                      + "' gives rows for source '"
                      + entry.getKey()
                      + "', which model '"
                      + model.name()
                      + "' does not read",
                  "model '" + model.name() + "' reads '" + reads + "'"));
        }
      }
    }
    SourceSpec source = sources.get(reads);
    Optional<Set<String>> outputs =
        outputColumns(model, source == null ? Optional.empty() : declaredColumns(source));
    outputs.ifPresent(
        known -> {
          Set<String> all = new LinkedHashSet<>(known);
          model.surrogateKey().ifPresent(k -> all.add(k.name()));
          ScdSpec scd = model.scd();
          all.add(scd.validFrom());
          all.add(scd.validTo());
          all.add(scd.currentFlag());
          all.add(scd.deletedFlag());
          for (String column : test.expect().columns()) {
            if (!all.contains(column)) {
              unknown(
                  DiagnosticCode.UNKNOWN_COLUMN,
                  new Named(column, test.expect().position()),
                  "column",
                  all,
                  "model '" + model.name() + "'");
            }
          }
        });
  }

  static boolean isDate(String text) {
    try {
      LocalDate.parse(text.trim());
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  static boolean isTimestamp(String text) {
    try {
      LocalDateTime.parse(text.trim(), TIMESTAMP);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /** Calls {@code visitor} on {@code expr} and every expression inside it, parents first. */
  static void walk(Expr expr, Consumer<Expr> visitor) {
    visitor.accept(expr);
    Consumer<Expr> recurse = child -> walk(child, visitor);
    if (expr instanceof Expr.Call call) {
      call.arguments().forEach(recurse);
    } else if (expr instanceof Expr.ListOf list) {
      list.items().forEach(recurse);
    } else if (expr instanceof Expr.Unary unary) {
      walk(unary.operand(), visitor);
    } else if (expr instanceof Expr.Binary binary) {
      walk(binary.left(), visitor);
      walk(binary.right(), visitor);
    } else if (expr instanceof Expr.Case caseExpr) {
      for (Expr.When when : caseExpr.whens()) {
        walk(when.condition(), visitor);
        walk(when.result(), visitor);
      }
      caseExpr.otherwise().ifPresent(recurse);
    } else if (expr instanceof Expr.Cast cast) {
      walk(cast.operand(), visitor);
    } else if (expr instanceof Expr.In in) {
      walk(in.operand(), visitor);
      in.values().forEach(recurse);
    } else if (expr instanceof Expr.IsNull isNull) {
      walk(isNull.operand(), visitor);
    } else if (expr instanceof Expr.Between between) {
      walk(between.operand(), visitor);
      walk(between.low(), visitor);
      walk(between.high(), visitor);
    } else if (expr instanceof Expr.Like like) {
      walk(like.operand(), visitor);
      walk(like.pattern(), visitor);
    }
  }
}
