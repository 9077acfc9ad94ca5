package dev.conform.dsl;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One batch of a spec test: rows per source name, applied as one run. */
public record TestBatch(Map<String, TestTable> sources, Position position) {
  public TestBatch {
    sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    requireNonNull(position, "position is null");
  }
}
