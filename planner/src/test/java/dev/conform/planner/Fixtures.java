package dev.conform.planner;

import dev.conform.dsl.CheckFailureMode;
import dev.conform.dsl.ColumnSpec;
import dev.conform.dsl.DeleteMode;
import dev.conform.dsl.DerivedColumn;
import dev.conform.dsl.DimensionSpec;
import dev.conform.dsl.Expression;
import dev.conform.dsl.Named;
import dev.conform.dsl.Position;
import dev.conform.dsl.ScdSpec;
import dev.conform.dsl.SourceSpec;
import dev.conform.dsl.expr.Expr;
import dev.conform.spi.Column;
import dev.conform.spi.SourceData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds specs in code, for tests that do not go through the spec readers. */
final class Fixtures {
  private Fixtures() {}

  static Named named(String name) {
    return new Named(name, Position.NONE);
  }

  static Expression column(String name) {
    return new Expression(name, new Expr.ColumnRef(name, Position.NONE), Position.NONE);
  }

  static SourceSpec source(String name, List<Column> columns, Optional<Expression> deleteWhen) {
    List<ColumnSpec> specs = new ArrayList<>();
    columns.forEach(c -> specs.add(new ColumnSpec(c.name(), c.type(), Position.NONE)));
    return new SourceSpec(
        named(name),
        named("landing"),
        Optional.of(name + "/*.csv"),
        Optional.empty(),
        Optional.of(SourceData.Format.CSV),
        Map.of(),
        specs,
        List.of(),
        Optional.empty(),
        deleteWhen,
        Position.NONE);
  }

  static ScdSpec scd(
      int type,
      String sequence,
      List<String> tieBreakers,
      List<String> track,
      DeleteMode deletes,
      Optional<String> endOfTime) {
    return new ScdSpec(
        type,
        column(sequence),
        tieBreakers.stream().map(Fixtures::column).toList(),
        track.stream().map(Fixtures::named).toList(),
        deletes,
        ScdSpec.DEFAULT_VALID_FROM,
        ScdSpec.DEFAULT_VALID_TO,
        ScdSpec.DEFAULT_CURRENT_FLAG,
        ScdSpec.DEFAULT_DELETED_FLAG,
        endOfTime,
        Position.NONE);
  }

  static DimensionSpec dimension(
      String name,
      String source,
      List<String> key,
      Optional<String> surrogateKey,
      ScdSpec scd,
      List<String> columns,
      List<Expression> checks) {
    return new DimensionSpec(
        named(name),
        named(source),
        key.stream().map(Fixtures::named).toList(),
        surrogateKey.map(Fixtures::named),
        scd,
        columns.stream().map(c -> new DerivedColumn(named(c), column(c))).toList(),
        Optional.empty(),
        checks,
        CheckFailureMode.QUARANTINE,
        Position.NONE);
  }
}
