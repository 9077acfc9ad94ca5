package dev.conform.dsl;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A spec-level unit test: batches applied one run each, then the expected rows of {@code model}
 * (only the listed columns are compared, order does not matter).
 */
public record TestSpec(
    Named name, Named model, List<TestBatch> batches, TestTable expect, Position position) {
  public TestSpec {
    requireNonNull(name, "name is null");
    requireNonNull(model, "model is null");
    batches = List.copyOf(batches);
    requireNonNull(expect, "expect is null");
    requireNonNull(position, "position is null");
  }
}
