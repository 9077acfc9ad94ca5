package dev.conform.spi;

import java.util.List;
import java.util.Optional;

/**
 * An engine that executes plans. One instance holds one connection to its warehouse and is used by
 * one thread at a time; the caller closes it.
 */
public interface ConformRuntime extends AutoCloseable {

  /** The dialect this runtime's plans must be rendered for. */
  SqlDialect dialect();

  /**
   * The columns and types the engine sees in a source, for sources whose spec declares no columns.
   *
   * @throws RuntimeFailure when the files cannot be read
   */
  List<Column> describe(SourceData data);

  /** The columns of a table in the warehouse, or empty when it does not exist. */
  Optional<List<Column>> tableColumns(String table);

  /**
   * Executes every step of every model in one transaction and returns the counts. On any failure
   * the transaction is rolled back and a {@link RuntimeFailure} names the model and step.
   */
  RunResult execute(Plan plan, RunListener listener);

  /** Runs a read-only query and returns at most {@code limit} rows (all when negative). */
  QueryResult query(String sql, int limit);

  @Override
  void close();
}
