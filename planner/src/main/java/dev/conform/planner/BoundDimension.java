package dev.conform.planner;

import static java.util.Objects.requireNonNull;

import dev.conform.dsl.DimensionSpec;
import dev.conform.dsl.Expression;
import dev.conform.dsl.SourceSpec;
import dev.conform.spi.Column;
import dev.conform.spi.DataType;
import java.util.List;
import java.util.Optional;

/**
 * A dimension whose names are resolved and whose columns are typed: the input of the SCD plan
 * templates.
 *
 * @param sourceColumns the source's columns as the staging table holds them
 * @param keys the business key columns, in key order
 * @param payload the output columns other than the key, in declared order, each with its expression
 *     over the source
 * @param tracked the names of the payload columns whose change opens a new version (Type 2); all of
 *     them unless the spec lists some
 * @param sequenceType the type of {@code sequence_by}, which is also the type of valid_from/to
 * @param tieBreakerTypes the types of the tie-breaker expressions
 * @param endOfTime the literal text of the end of time, when one is configured
 */
public record BoundDimension(
    DimensionSpec spec,
    SourceSpec source,
    List<Column> sourceColumns,
    List<Column> keys,
    List<OutputColumn> payload,
    List<String> tracked,
    DataType sequenceType,
    List<DataType> tieBreakerTypes,
    Optional<String> endOfTime) {

  /** An output column and the expression that computes it from a source row. */
  public record OutputColumn(Column column, Expression expression) {
    public OutputColumn {
      requireNonNull(column, "column is null");
      requireNonNull(expression, "expression is null");
    }

    public String name() {
      return column.name();
    }
  }

  public BoundDimension {
    requireNonNull(spec, "spec is null");
    requireNonNull(source, "source is null");
    sourceColumns = List.copyOf(sourceColumns);
    keys = List.copyOf(keys);
    payload = List.copyOf(payload);
    tracked = List.copyOf(tracked);
    requireNonNull(sequenceType, "sequenceType is null");
    tieBreakerTypes = List.copyOf(tieBreakerTypes);
    requireNonNull(endOfTime, "endOfTime is null");
  }

  public String name() {
    return spec.name().name();
  }

  public int scdType() {
    return spec.scd().type();
  }

  /** The payload with tracked columns first (in tracking order), then the others. */
  public List<OutputColumn> trackedFirst() {
    java.util.List<OutputColumn> ordered = new java.util.ArrayList<>();
    for (String name : tracked) {
      payload.stream().filter(c -> c.name().equals(name)).forEach(ordered::add);
    }
    payload.stream().filter(c -> !tracked.contains(c.name())).forEach(ordered::add);
    return ordered;
  }
}
