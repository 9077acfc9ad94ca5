package dev.conform.dsl;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A whole Conform project: the settings of {@code conform.yaml} and every declaration of its spec
 * files, in file order. {@code target} names the connection that is the warehouse; {@code runtime}
 * is the project's runtime, when it names one.
 */
public record ProjectSpec(
    Path root,
    String name,
    Optional<String> runtime,
    Named target,
    List<ConnectionSpec> connections,
    List<SourceSpec> sources,
    List<DimensionSpec> dimensions,
    List<TestSpec> tests,
    Position position) {
  public ProjectSpec {
    requireNonNull(root, "root is null");
    requireNonNull(name, "name is null");
    requireNonNull(runtime, "runtime is null");
    requireNonNull(target, "target is null");
    connections = List.copyOf(connections);
    sources = List.copyOf(sources);
    dimensions = List.copyOf(dimensions);
    tests = List.copyOf(tests);
    requireNonNull(position, "position is null");
  }
}
