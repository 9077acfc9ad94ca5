package dev.conform.catalog;

import static java.util.Objects.requireNonNull;

import dev.conform.spi.RunResult;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.h2.api.ErrorCode;

/**
 * Conform's metadata store: run history, per-model counts, per-source file state and per-model
 * incremental state, in an embedded H2 file ({@code <project>/.conform/catalog}) or any JDBC
 * database.
 *
 * <p><b>Commit order.</b> The warehouse commits first; the catalog records what that commit did
 * afterwards, in one catalog transaction ({@link #completeRun}): the run's status and counts, the
 * source files it processed and the model state it advanced. The catalog therefore never records a
 * file or a position for data that was not committed. If the process dies between the two commits,
 * the catalog still lists those files as unprocessed and the run as RUNNING (later ABANDONED); the
 * next run reads the files again, and re-applying a batch that is already in the warehouse changes
 * nothing (the SCD appliers are idempotent by key and sequence), so the re-run completes without
 * duplicates. Callers must not record files or state in a transaction of their own before the
 * warehouse commit.
 *
 * <p><b>Incremental file sources.</b> {@link #processedFiles} gives, per path, the {@link
 * FileStamp} (size, last-modified time) that was processed and the run that processed it. The
 * caller compares it with the stamp of the file on disk: no entry means new, a different stamp
 * means changed (read it again), an equal stamp means done. A file deleted from disk keeps its
 * entry until the source is forgotten.
 *
 * <p><b>Crashed runs.</b> A run whose process died stays RUNNING until {@link #markAbandoned} finds
 * it. {@link #openProject} calls it, because the project's H2 file is locked by one process at a
 * time ({@code AUTO_SERVER=FALSE}), so a RUNNING run started before this process cannot belong to a
 * live process. {@link #open} does not: a JDBC catalog may be shared by processes on several hosts,
 * where only the caller knows whether the other runs are alive.
 *
 * <p><b>Threads and ownership.</b> A store holds one JDBC connection for its whole life and is used
 * by one thread at a time; it is not thread-safe. The caller owns it and must close it. All
 * arguments are non-null; absent results are empty {@code Optional}s or empty collections.
 */
public final class CatalogStore implements AutoCloseable {
  /** Where {@link #openProject} keeps the catalog, relative to the project root. */
  public static final String PROJECT_CATALOG = ".conform/catalog";

  private final Connection connection;
  private final String name;
  private final int schemaVersion;
  private boolean closed;

  private CatalogStore(Connection connection, String name, int schemaVersion) {
    this.connection = connection;
    this.name = name;
    this.schemaVersion = schemaVersion;
  }

  /**
   * Opens the project's catalog in {@code <projectRoot>/.conform/catalog}, creating it if needed,
   * and marks runs left RUNNING by a crashed process as ABANDONED.
   */
  public static CatalogStore openProject(Path projectRoot) {
    requireNonNull(projectRoot, "projectRoot is null");
    Path file = projectRoot.toAbsolutePath().normalize().resolve(PROJECT_CATALOG);
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new CatalogException(
          "Cannot create catalog folder " + file.getParent() + ": " + e.getMessage(), e);
    }
    CatalogStore store = open("jdbc:h2:file:" + file + ";AUTO_SERVER=FALSE", file.toString());
    try {
      store.markAbandoned();
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  /**
   * Opens the catalog at {@code jdbcUrl}, creating or migrating its schema. Does not mark abandoned
   * runs (see the class comment).
   */
  public static CatalogStore open(String jdbcUrl) {
    requireNonNull(jdbcUrl, "jdbcUrl is null");
    return open(jdbcUrl, withoutOptions(jdbcUrl));
  }

  private static CatalogStore open(String jdbcUrl, String name) {
    Connection connection;
    try {
      connection = DriverManager.getConnection(jdbcUrl);
    } catch (SQLException e) {
      throw openFailure(name, e);
    }
    try {
      connection.setAutoCommit(false);
      int version = SchemaMigrator.migrate(connection, name);
      return new CatalogStore(connection, name, version);
    } catch (SQLException | RuntimeException e) {
      try {
        connection.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof CatalogException catalogException) {
        throw catalogException;
      }
      throw new CatalogException("Cannot open catalog " + name + ": " + e.getMessage(), e);
    }
  }

  private static CatalogException openFailure(String name, SQLException e) {
    if (e.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1) {
      return new CatalogException(
          "Cannot open catalog "
              + name
              + ": it is in use by another process, probably another conform command on this"
              + " project. Wait for that command to finish (or stop it) and try again.",
          e);
    }
    if (e.getSQLState() != null && e.getSQLState().equals("08001")) {
      return new CatalogException(
          "Cannot open catalog "
              + name
              + ": no JDBC driver on the class path accepts this URL; check catalog.url",
          e);
    }
    return new CatalogException("Cannot open catalog " + name + ": " + e.getMessage(), e);
  }

  /**
   * The URL without options, which may carry credentials (H2 {@code ;...}, others {@code ?...}).
   */
  private static String withoutOptions(String jdbcUrl) {
    int end = jdbcUrl.length();
    for (char separator : new char[] {';', '?'}) {
      int index = jdbcUrl.indexOf(separator);
      if (index >= 0) {
        end = Math.min(end, index);
      }
    }
    return jdbcUrl.substring(0, end);
  }

  /** The schema version of the open catalog, always the newest this Conform knows. */
  public int schemaVersion() {
    return schemaVersion;
  }

  /**
   * Records a new RUNNING run of {@code models}, in plan order, and returns its id. Ids increase
   * with every call and are never reused.
   */
  public long startRun(String project, String runtime, String target, List<String> models) {
    requireNonNull(project, "project is null");
    requireNonNull(runtime, "runtime is null");
    requireNonNull(target, "target is null");
    List<String> modelList = List.copyOf(requireNonNull(models, "models is null"));
    Set<String> seen = new HashSet<>();
    for (String model : modelList) {
      if (!seen.add(model)) {
        throw new IllegalArgumentException(
            "Cannot start run: model '" + model + "' is listed twice");
      }
    }
    Instant now = now();
    return inTransaction(
        "start run", c -> RunHistory.insertRun(c, project, runtime, target, now, modelList));
  }

  /**
   * Marks a RUNNING run SUCCEEDED with its per-model counts and times. Same as {@link #completeRun}
   * with no files and no state.
   */
  public void finishRun(long runId, RunResult result) {
    completeRun(runId, result, Map.of(), Map.of());
  }

  /**
   * After the warehouse committed run {@code runId}: in one catalog transaction, records the files
   * it processed per source and marks it SUCCEEDED with its counts. Either all of it is recorded or
   * nothing is.
   */
  public void completeRun(
      long runId, RunResult result, Map<String, List<FileStamp>> filesBySource) {
    complete(runId, result, filesBySource, Map.of(), false);
  }

  /**
   * Completes a full refresh: like {@link #completeRun(long, RunResult, Map, Map)}, but each
   * source's recorded files are replaced by {@code filesBySource}'s instead of added to, and each
   * model's state by {@code stateByModel}'s (marks the refresh did not write are forgotten), in the
   * same transaction, so a failure leaves the old record as it was.
   */
  public void completeRefresh(
      long runId,
      RunResult result,
      Map<String, List<FileStamp>> filesBySource,
      Map<String, Map<String, String>> stateByModel) {
    complete(runId, result, filesBySource, stateByModel, true);
  }

  /**
   * After the warehouse committed run {@code runId}: in one catalog transaction, records the files
   * it processed per source, the incremental state it advanced per model (keys replace the same
   * keys, other keys stay), and marks it SUCCEEDED with its counts. Either all of it is recorded or
   * nothing is.
   */
  public void completeRun(
      long runId,
      RunResult result,
      Map<String, List<FileStamp>> filesBySource,
      Map<String, Map<String, String>> stateByModel) {
    complete(runId, result, filesBySource, stateByModel, false);
  }

  private void complete(
      long runId,
      RunResult result,
      Map<String, List<FileStamp>> filesBySource,
      Map<String, Map<String, String>> stateByModel,
      boolean replaceFiles) {
    requireNonNull(result, "result is null");
    Map<String, List<FileStamp>> files = new TreeMap<>();
    requireNonNull(filesBySource, "filesBySource is null")
        .forEach((source, list) -> files.put(source, List.copyOf(list)));
    Map<String, Map<String, String>> state = new TreeMap<>();
    requireNonNull(stateByModel, "stateByModel is null")
        .forEach((model, values) -> state.put(model, new TreeMap<>(values)));
    Instant now = now();
    inTransaction(
        "complete run " + runId,
        c -> {
          RunHistory.requireRunning(c, runId, "finish");
          RunHistory.succeed(c, runId, result, now);
          for (Map.Entry<String, Map<String, String>> entry : state.entrySet()) {
            if (replaceFiles) {
              // A refresh starts over: a mark it did not write again must not outlive it.
              ModelState.reset(c, entry.getKey());
            }
            ModelState.write(c, runId, entry.getKey(), entry.getValue());
          }
          for (Map.Entry<String, List<FileStamp>> entry : files.entrySet()) {
            if (replaceFiles) {
              SourceFileState.forget(c, entry.getKey());
            }
            SourceFileState.record(c, runId, entry.getKey(), entry.getValue());
          }
          return null;
        });
  }

  /** Marks a RUNNING run FAILED with {@code message}; nothing it read is recorded as processed. */
  public void failRun(long runId, String message) {
    requireNonNull(message, "message is null");
    Instant now = now();
    inTransaction(
        "fail run " + runId,
        c -> {
          Instant startedAt = RunHistory.requireRunning(c, runId, "fail");
          RunHistory.fail(c, runId, message, startedAt, now);
          return null;
        });
  }

  /**
   * Marks RUNNING runs that started before this process as ABANDONED and returns how many. Only
   * correct when no other live process writes this catalog (see the class comment).
   */
  public int markAbandoned() {
    return markAbandonedBefore(
        Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()));
  }

  int markAbandonedBefore(Instant cutoff) {
    String message =
        "Its process stopped before the run finished or failed (found at " + now() + ")";
    return inTransaction(
        "mark abandoned runs", c -> RunHistory.abandonStartedBefore(c, cutoff, message));
  }

  /** The newest {@code limit} runs, newest first. */
  public List<RunRecord> runs(int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("Invalid run limit: " + limit);
    }
    return inTransaction("list runs", c -> RunHistory.runs(c, limit));
  }

  /** The newest SUCCEEDED run, if any. */
  public Optional<RunRecord> lastSuccessfulRun() {
    return inTransaction("find the last successful run", RunHistory::lastSuccessful);
  }

  /**
   * The models of run {@code runId} in the order the run started them; empty for an unknown run.
   */
  public List<ModelRunRecord> modelRuns(long runId) {
    return inTransaction("list models of run " + runId, c -> RunHistory.modelRuns(c, runId));
  }

  /** The files of {@code source} that committed runs processed, by path, in path order. */
  public Map<String, ProcessedFile> processedFiles(String source) {
    requireNonNull(source, "source is null");
    return inTransaction(
        "list processed files of source " + source, c -> SourceFileState.processedFiles(c, source));
  }

  /**
   * Records {@code files} of {@code source} as processed by RUNNING run {@code runId}, in a
   * transaction of its own. Call it only after the warehouse committed the run, and prefer {@link
   * #completeRun}, which also finishes the run atomically.
   */
  public void recordProcessedFiles(long runId, String source, List<FileStamp> files) {
    requireNonNull(source, "source is null");
    List<FileStamp> fileList = List.copyOf(requireNonNull(files, "files is null"));
    inTransaction(
        "record processed files of source " + source,
        c -> {
          RunHistory.requireRunning(c, runId, "record processed files for");
          SourceFileState.record(c, runId, source, fileList);
          return null;
        });
  }

  /** The incremental state committed runs advanced for {@code model}, by key, in key order. */
  public Map<String, String> modelState(String model) {
    requireNonNull(model, "model is null");
    return inTransaction("read state of model " + model, c -> ModelState.read(c, model));
  }

  /**
   * Forgets the incremental state of {@code model} (full refresh), so its next run starts from the
   * beginning. Run history is kept. The files of its sources are replaced by {@link
   * #completeRefresh}.
   */
  public void resetModel(String model) {
    requireNonNull(model, "model is null");
    inTransaction("reset model " + model, c -> ModelState.reset(c, model));
  }

  /** Closes the connection; an H2 file catalog is unlocked when its last connection closes. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      connection.close();
    } catch (SQLException e) {
      throw new CatalogException("Cannot close catalog " + name + ": " + e.getMessage(), e);
    }
  }

  /** H2 keeps microseconds; truncating keeps what we return equal to what we stored. */
  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private <T> T inTransaction(String what, Work<T> work) {
    if (closed) {
      throw new IllegalStateException("Cannot " + what + ": catalog " + name + " is closed");
    }
    try {
      T result = work.run(connection);
      connection.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException rollbackFailure) {
        e.addSuppressed(rollbackFailure);
      }
      if (e instanceof RuntimeException runtimeException) {
        throw runtimeException;
      }
      throw new CatalogException(
          "Cannot " + what + " in catalog " + name + ": " + e.getMessage(), e);
    }
  }
}
