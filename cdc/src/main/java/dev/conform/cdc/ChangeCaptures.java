package dev.conform.cdc;

import dev.conform.dsl.CdcSpec;
import dev.conform.dsl.SourceSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The capture each source's spec asks for. */
public final class ChangeCaptures {
  private ChangeCaptures() {}

  /**
   * The capture of a source that reads a database table. {@code store} is a folder the capture may
   * keep its own state in (snapshot hashes); {@code slotPrefix} names what the capture creates at
   * the source, unique per project and model (replication slots).
   */
  public static ChangeCapture forTable(
      SourceSpec source, SourceRequest request, Path store, String slotPrefix) {
    Optional<CdcSpec> cdc = source.cdc();
    String strategy = cdc.map(c -> c.strategy().name()).orElse(CdcSpec.AUDIT_COLUMN);
    return switch (strategy) {
      case CdcSpec.SNAPSHOT_DIFF -> SnapshotDiffCapture.ofTable(source, request, store);
      case CdcSpec.LOG ->
          new LogicalDecodingCapture(
              request, source.key().stream().map(k -> k.name()).toList(), cdc, slotPrefix);
      case CdcSpec.CHANGE_LOG -> new ChangeLogCapture(request, ChangeLogSettings.of(source));
      default -> new TableCapture(request, cdc);
    };
  }

  /**
   * The capture of a source of files that declares one: {@code files} are the files not yet loaded,
   * in the order they arrived (by name); {@code store} as for {@link #forTable}.
   */
  public static ChangeCapture forFiles(SourceSpec source, List<Path> files, Path store) {
    return forFiles(source, files, Set.of(), store);
  }

  /**
   * {@link #forFiles(SourceSpec, List, Path)}, where {@code reloaded} are those of {@code files}
   * that an earlier committed run loaded and that have changed since (Debezium reads them again;
   * snapshot_diff refuses them, as its history has moved past them).
   */
  public static ChangeCapture forFiles(
      SourceSpec source, List<Path> files, Set<Path> reloaded, Path store) {
    String strategy = source.cdc().orElseThrow().strategy().name();
    return switch (strategy) {
      case CdcSpec.LOG -> new DebeziumCapture(source, files);
      case CdcSpec.SNAPSHOT_DIFF -> SnapshotDiffCapture.ofFiles(source, files, reloaded, store);
      default -> throw new IllegalArgumentException("No capture of files by " + strategy);
    };
  }
}
