package dev.conform.planner;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Batches of source rows to load into one golden case's dimension, run after run, with the target
 * and reject rows expected after each. Values are canonical text (see {@link
 * dev.conform.spi.QueryResult}); a {@code null} cell is SQL NULL.
 *
 * @param targetColumns the target's columns, in table order
 */
record GoldenScenario(String model, List<String> targetColumns, List<Batch> batches) {
  GoldenScenario {
    requireNonNull(model, "model is null");
    targetColumns = List.copyOf(targetColumns);
    batches = List.copyOf(batches);
  }

  /**
   * One run's source rows and what the tables hold after it.
   *
   * @param rejects {@code run_id, origin, reason} of every row in the reject table
   * @param failure a text the run's failure message contains, when the run must fail
   */
  record Batch(
      String description,
      List<List<String>> rows,
      List<List<String>> target,
      List<List<String>> rejects,
      Optional<String> failure) {
    Batch {
      requireNonNull(description, "description is null");
      rows = copy(rows);
      target = copy(target);
      rejects = copy(rejects);
      requireNonNull(failure, "failure is null");
    }
  }

  /** A row whose cells may be null. */
  static List<String> row(String... cells) {
    return Collections.unmodifiableList(Arrays.asList(cells));
  }

  private static List<List<String>> copy(List<List<String>> rows) {
    List<List<String>> copy = new ArrayList<>();
    rows.forEach(r -> copy.add(Collections.unmodifiableList(new ArrayList<>(r))));
    return Collections.unmodifiableList(copy);
  }
}
