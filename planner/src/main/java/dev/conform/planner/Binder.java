package dev.conform.planner;

import dev.conform.dsl.DeleteMode;
import dev.conform.dsl.DerivedColumn;
import dev.conform.dsl.Diagnostic;
import dev.conform.dsl.DiagnosticCode;
import dev.conform.dsl.DimensionSpec;
import dev.conform.dsl.Expression;
import dev.conform.dsl.Named;
import dev.conform.dsl.Position;
import dev.conform.dsl.ScdSpec;
import dev.conform.dsl.SourceSpec;
import dev.conform.dsl.SpecException;
import dev.conform.dsl.expr.Expr;
import dev.conform.spi.Column;
import dev.conform.spi.DataType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.tools.RelBuilder;

/**
 * Resolves a dimension's names against its source's columns and gives every output column a type.
 * Reports every problem it finds, then fails with all of them.
 */
public final class Binder {

  /**
   * Binds {@code dimension}, whose source has {@code sourceColumns} (declared in the spec or read
   * from the files).
   *
   * @throws SpecException with every problem found
   */
  public BoundDimension bind(
      DimensionSpec dimension, SourceSpec source, List<Column> sourceColumns) {
    List<Diagnostic> diagnostics = new ArrayList<>();
    String table = "_conform_bind";
    PlanSchema schema = new PlanSchema();
    schema.addTable(table, sourceColumns, true);
    RelBuilder b = schema.builder();
    b.scan(table);
    ExpressionTranslator translator =
        new ExpressionTranslator(b, "source '" + source.name().name() + "'", diagnostics);
    ScdSpec scd = dimension.scd();
    Map<String, Column> byName = new LinkedHashMap<>();
    for (Column column : sourceColumns) {
      byName.put(column.name(), column);
    }

    List<Column> keys = new ArrayList<>();
    for (Named key : dimension.businessKey()) {
      Column column = resolve(key, byName, source, diagnostics);
      if (column != null) {
        keys.add(column);
      }
    }
    Optional<DataType> sequenceType = type(translator, scd.sequenceBy());
    if (sequenceType.isPresent()
        && !(sequenceType.get().isNumeric() || sequenceType.get().isTemporal())) {
      diagnostics.add(
          Diagnostic.error(
              DiagnosticCode.TYPE_MISMATCH,
              scd.sequenceBy().position(),
              "sequence_by must be a number, date or timestamp, but is " + sequenceType.get()));
    }
    List<DataType> tieBreakerTypes = new ArrayList<>();
    for (Expression tieBreaker : scd.tieBreaker()) {
      type(translator, tieBreaker).ifPresent(tieBreakerTypes::add);
    }
    dimension.where().ifPresent(w -> translator.translateCondition(w.ast(), "where"));
    source.deletes().ifPresent(d -> translator.translateCondition(d.ast(), "delete_when"));

    List<BoundDimension.OutputColumn> payload = new ArrayList<>();
    Set<String> keyNames = new HashSet<>();
    dimension.businessKey().forEach(k -> keyNames.add(k.name()));
    if (dimension.columns().isEmpty()) {
      Set<String> excluded = new HashSet<>(keyNames);
      if (scd.sequenceBy().ast() instanceof Expr.ColumnRef ref) {
        excluded.add(ref.name());
      }
      source.deletes().ifPresent(d -> collectColumns(d.ast(), excluded));
      source.changeColumns().forEach(c -> excluded.add(c.name()));
      for (Column column : sourceColumns) {
        if (!excluded.contains(column.name())) {
          Expression expression =
              new Expression(
                  column.name(), new Expr.ColumnRef(column.name(), Position.NONE), Position.NONE);
          payload.add(new BoundDimension.OutputColumn(column, expression));
        }
      }
    } else {
      Set<String> seen = new HashSet<>();
      for (DerivedColumn derived : dimension.columns()) {
        String name = derived.name().name();
        if (keyNames.contains(name)) {
          continue;
        }
        if (!seen.add(name)) {
          diagnostics.add(
              Diagnostic.error(
                  DiagnosticCode.DUPLICATE_NAME,
                  derived.name().position(),
                  "column '"
                      + name
                      + "' is defined twice in dimension '"
                      + dimension.name()
                      + "'"));
          continue;
        }
        type(translator, derived.expression())
            .ifPresent(
                t ->
                    payload.add(
                        new BoundDimension.OutputColumn(Column.of(name, t), derived.expression())));
      }
    }

    List<String> tracked = new ArrayList<>();
    if (scd.track().isEmpty()) {
      payload.forEach(c -> tracked.add(c.name()));
    } else {
      List<String> outputs = payload.stream().map(BoundDimension.OutputColumn::name).toList();
      for (Named name : scd.track()) {
        if (outputs.contains(name.name())) {
          tracked.add(name.name());
          continue;
        }
        String hint = dev.conform.dsl.Suggestions.didYouMean(name.name(), outputs).orElse(null);
        String message =
            "cannot track column '"
                + name.name()
                + "': it is not an output column of dimension '"
                + dimension.name()
                + "'";
        diagnostics.add(
            hint == null
                ? Diagnostic.error(DiagnosticCode.UNKNOWN_COLUMN, name.position(), message)
                : Diagnostic.error(DiagnosticCode.UNKNOWN_COLUMN, name.position(), message, hint));
      }
    }

    checkChecks(dimension, source, sourceColumns, keys, payload, diagnostics);
    checkSystemNames(dimension, keyNames, payload, diagnostics);
    Optional<String> endOfTime = scd.endOfTime();
    if (endOfTime.isPresent() && sequenceType.isPresent()) {
      checkEndOfTime(endOfTime.get(), sequenceType.get(), scd.position(), diagnostics);
    }
    if (scd.type() == 1 && !scd.track().isEmpty()) {
      diagnostics.add(
          Diagnostic.error(
              DiagnosticCode.INVALID_VALUE,
              scd.position(),
              "track applies to scd type 2 only",
              "remove track, or use type: 2"));
    }
    if (!diagnostics.isEmpty()) {
      throw new SpecException(diagnostics);
    }
    return new BoundDimension(
        dimension,
        source,
        sourceColumns,
        keys,
        payload,
        tracked,
        sequenceType.orElseThrow(),
        tieBreakerTypes,
        endOfTime);
  }

  /** Checks see the dimension's output columns, and the source columns no output shadows. */
  static List<Column> checkedColumns(
      List<Column> sourceColumns, List<Column> keys, List<BoundDimension.OutputColumn> payload) {
    List<Column> columns = new ArrayList<>(keys);
    payload.forEach(c -> columns.add(c.column()));
    Set<String> taken = new HashSet<>();
    columns.forEach(c -> taken.add(c.name()));
    for (Column column : sourceColumns) {
      if (taken.add(column.name())) {
        columns.add(column);
      }
    }
    return columns;
  }

  private static void checkChecks(
      DimensionSpec dimension,
      SourceSpec source,
      List<Column> sourceColumns,
      List<Column> keys,
      List<BoundDimension.OutputColumn> payload,
      List<Diagnostic> diagnostics) {
    if (dimension.checks().isEmpty()) {
      return;
    }
    PlanSchema schema = new PlanSchema();
    schema.addTable("_conform_checked", checkedColumns(sourceColumns, keys, payload), true);
    RelBuilder b = schema.builder();
    b.scan("_conform_checked");
    ExpressionTranslator translator =
        new ExpressionTranslator(
            b,
            "dimension '" + dimension.name().name() + "' or source '" + source.name().name() + "'",
            diagnostics);
    for (Expression check : dimension.checks()) {
      translator.translateCondition(check.ast(), "a check");
    }
  }

  private static Column resolve(
      Named name, Map<String, Column> columns, SourceSpec source, List<Diagnostic> diagnostics) {
    Column column = columns.get(name.name());
    if (column == null) {
      String hint =
          dev.conform.dsl.Suggestions.didYouMean(name.name(), columns.keySet()).orElse(null);
      String message =
          "cannot resolve column '" + name.name() + "' in source '" + source.name().name() + "'";
      diagnostics.add(
          hint == null
              ? Diagnostic.error(DiagnosticCode.UNKNOWN_COLUMN, name.position(), message)
              : Diagnostic.error(DiagnosticCode.UNKNOWN_COLUMN, name.position(), message, hint));
    }
    return column;
  }

  private static Optional<DataType> type(ExpressionTranslator translator, Expression expression) {
    Optional<RexNode> node = translator.translate(expression.ast());
    return node.map(n -> CalciteTypes.fromCalcite(n.getType()).orElse(DataType.STRING));
  }

  private static void collectColumns(Expr expr, Set<String> into) {
    if (expr instanceof Expr.ColumnRef ref) {
      into.add(ref.name());
    } else if (expr instanceof Expr.Call call) {
      call.arguments().forEach(a -> collectColumns(a, into));
    } else if (expr instanceof Expr.ListOf list) {
      list.items().forEach(a -> collectColumns(a, into));
    } else if (expr instanceof Expr.Unary unary) {
      collectColumns(unary.operand(), into);
    } else if (expr instanceof Expr.Binary binary) {
      collectColumns(binary.left(), into);
      collectColumns(binary.right(), into);
    } else if (expr instanceof Expr.Case c) {
      c.whens()
          .forEach(
              w -> {
                collectColumns(w.condition(), into);
                collectColumns(w.result(), into);
              });
      c.otherwise().ifPresent(o -> collectColumns(o, into));
    } else if (expr instanceof Expr.Cast cast) {
      collectColumns(cast.operand(), into);
    } else if (expr instanceof Expr.In in) {
      collectColumns(in.operand(), into);
      in.values().forEach(v -> collectColumns(v, into));
    } else if (expr instanceof Expr.IsNull isNull) {
      collectColumns(isNull.operand(), into);
    } else if (expr instanceof Expr.Between between) {
      collectColumns(between.operand(), into);
      collectColumns(between.low(), into);
      collectColumns(between.high(), into);
    } else if (expr instanceof Expr.Like like) {
      collectColumns(like.operand(), into);
      collectColumns(like.pattern(), into);
    }
  }

  /**
   * Columns the engines give every table (DuckDB's row id, PostgreSQL's system columns): a table
   * column of that name would hide the engine's, and plans delete rows by row id.
   */
  private static final List<String> ENGINE_COLUMNS =
      List.of("rowid", "ctid", "oid", "tableoid", "xmin", "xmax", "cmin", "cmax");

  private static void checkSystemNames(
      DimensionSpec dimension,
      Set<String> keyNames,
      List<BoundDimension.OutputColumn> payload,
      List<Diagnostic> diagnostics) {
    ScdSpec scd = dimension.scd();
    List<String> system = new ArrayList<>();
    dimension.surrogateKey().ifPresent(sk -> system.add(sk.name()));
    if (scd.type() == 2) {
      system.add(scd.validFrom());
      system.add(scd.validTo());
      system.add(scd.currentFlag());
    }
    if (scd.deletes() == DeleteMode.TOMBSTONE) {
      system.add(scd.deletedFlag());
    }
    Set<String> used = new HashSet<>(keyNames);
    payload.forEach(c -> used.add(c.name()));
    Set<String> all = new TreeSet<>(used);
    all.addAll(system);
    for (String name : all) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (ENGINE_COLUMNS.contains(lower) || lower.startsWith("_conform_")) {
        diagnostics.add(
            Diagnostic.error(
                DiagnosticCode.RESERVED_NAME,
                dimension.position(),
                "column '"
                    + name
                    + "' of dimension '"
                    + dimension.name()
                    + "' has a name the warehouse or Conform keeps for itself",
                "rename the column; names starting with _conform_ and the engines' row ids ("
                    + String.join(", ", ENGINE_COLUMNS)
                    + ") are reserved"));
      }
    }
    Set<String> seen = new HashSet<>();
    for (String name : system) {
      if (used.contains(name) || !seen.add(name)) {
        diagnostics.add(
            Diagnostic.error(
                DiagnosticCode.DUPLICATE_NAME,
                dimension.position(),
                "column '"
                    + name
                    + "' of dimension '"
                    + dimension.name()
                    + "' is both a data column and a column Conform maintains",
                "rename the column, or set another name for Conform's column in scd"));
      }
    }
  }

  private static void checkEndOfTime(
      String text, DataType sequenceType, Position at, List<Diagnostic> diagnostics) {
    boolean ok;
    try {
      switch (sequenceType.kind()) {
        case DATE -> java.time.LocalDate.parse(text.trim());
        case TIMESTAMP -> ExpressionTranslator.timestampString(text);
        default -> new java.math.BigDecimal(text.trim());
      }
      ok = true;
    } catch (RuntimeException e) {
      ok = false;
    }
    if (!ok) {
      diagnostics.add(
          Diagnostic.error(
              DiagnosticCode.TYPE_MISMATCH,
              at,
              "end_of_time '" + text + "' is not a value of the sequence's type " + sequenceType));
    }
  }
}
