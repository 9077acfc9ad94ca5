package dev.conform.dsl;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A dimension loaded from one source. When {@code columns} is empty the output columns are all the
 * source's columns; otherwise exactly the listed ones. {@code businessKey} names source columns,
 * which are always in the output. {@code where} filters source rows before anything else.
 */
public record DimensionSpec(
    Named name,
    Named from,
    List<Named> businessKey,
    Optional<Named> surrogateKey,
    ScdSpec scd,
    List<DerivedColumn> columns,
    Optional<Expression> where,
    List<Expression> checks,
    CheckFailureMode onCheckFailure,
    Position position) {
  public DimensionSpec {
    requireNonNull(name, "name is null");
    requireNonNull(from, "from is null");
    businessKey = List.copyOf(businessKey);
    requireNonNull(surrogateKey, "surrogateKey is null");
    requireNonNull(scd, "scd is null");
    columns = List.copyOf(columns);
    requireNonNull(where, "where is null");
    checks = List.copyOf(checks);
    requireNonNull(onCheckFailure, "onCheckFailure is null");
    requireNonNull(position, "position is null");
  }
}
