package dev.conform.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One run as the catalog recorded it.
 *
 * @param runId the catalog's id for the run; ids increase in start order
 * @param endedAt when the run succeeded or failed; empty while running and for abandoned runs
 * @param elapsed the time the runtime measured for a succeeded run, the wall-clock time for a
 *     failed one; empty otherwise
 * @param message why the run failed or was abandoned; empty otherwise
 */
public record RunRecord(
    long runId,
    String project,
    String runtime,
    String target,
    RunStatus status,
    Instant startedAt,
    Optional<Instant> endedAt,
    Optional<Duration> elapsed,
    Optional<String> message) {
  public RunRecord {
    requireNonNull(project, "project is null");
    requireNonNull(runtime, "runtime is null");
    requireNonNull(target, "target is null");
    requireNonNull(status, "status is null");
    requireNonNull(startedAt, "startedAt is null");
    requireNonNull(endedAt, "endedAt is null");
    requireNonNull(elapsed, "elapsed is null");
    requireNonNull(message, "message is null");
  }
}
