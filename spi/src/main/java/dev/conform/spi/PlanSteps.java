package dev.conform.spi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Walks a plan's models and steps in order for a runtime: tells the listener, collects each model's
 * counts and time, checks expectations, and says where a failure happened. The runtime does what
 * each kind of step needs of its engine and owns the transaction around them.
 */
public final class PlanSteps {
  private PlanSteps() {}

  /** What a runtime does for each kind of step; {@link PlanSteps} does the rest. */
  public interface Engine {
    /**
     * Loads a source into the step's staging and reject relations. When the step has a {@link
     * Step.LoadSource#stagedTally staged tally}, the rows read it returns are not used, and the
     * engine need not count them.
     */
    LoadCounts load(Step.LoadSource step) throws Exception;

    /**
     * Runs a statement; when it has a metric, returns the number of rows it inserted, updated or
     * deleted in its table (else anything). Where the plan's dialect {@link
     * SqlDialect#countsTalliesWhileRunning counts tallies while running}, the engine puts the count
     * of each of the statement's tallies in {@code tallied}.
     */
    long execute(Step.Statement statement, Map<String, Long> tallied) throws Exception;

    /** Stores the step's rows as its temporary relation (see {@link Step.Materialize}). */
    void materialize(Step.Materialize step) throws Exception;

    /** Deletes the rows the step names by their row ids (see {@link Step.DeleteRows}). */
    void deleteRows(Step.DeleteRows step) throws Exception;

    /** The first row of a query's result, empty when it has none; a cell may be null. */
    List<Object> firstRow(String sql) throws Exception;
  }

  /** A step failed: {@link #getCause()} is its error. */
  public static final class StepFailed extends Exception {
    private final String model;
    private final String step;

    StepFailed(String model, String step, Exception cause) {
      super(cause);
      this.model = model;
      this.step = step;
    }

    public String model() {
      return model;
    }

    public String step() {
      return step;
    }

    /**
     * The failure to report: the cause when it already is one naming its model, else "Cannot run
     * model 'm', step 's': " and {@code detail}, the engine's own words about the cause.
     */
    public RuntimeFailure toRuntimeFailure(String detail) {
      if (getCause() instanceof RuntimeFailure failure && failure.model().isPresent()) {
        return failure;
      }
      if (getCause() instanceof RuntimeFailure failure) {
        // A problem with the source itself: its message already says what to fix.
        return new RuntimeFailure(failure.getMessage(), model, step, failure.getCause());
      }
      String why = getCause() instanceof BadCount bad ? bad.getMessage() : detail;
      return new RuntimeFailure(
          "Cannot run model '" + model + "', step '" + step + "': " + why, model, step, getCause());
    }
  }

  /** Runs every step of every model, in order, and returns each model's result. */
  public static List<ModelResult> run(Plan plan, RunListener listener, Engine engine)
      throws StepFailed {
    List<ModelResult> results = new ArrayList<>();
    boolean engineTallies = plan.dialect().countsTalliesWhileRunning();
    for (ModelPlan modelPlan : plan.models()) {
      String model = modelPlan.model();
      long start = System.nanoTime();
      Map<Metric, Long> counts = new EnumMap<>(Metric.class);
      Map<String, Long> tallied = new HashMap<>();
      List<Step> steps = modelPlan.steps();
      Map<String, Step.LoadSource> countedLater = new HashMap<>();
      for (int i = 0; i < steps.size(); i++) {
        Step step = steps.get(i);
        try {
          Optional<String> skipped = skipped(step, tallied);
          if (skipped.isPresent()) {
            listener.stepSkipped(model, step, i, steps.size(), skipped.get());
            continue;
          }
          listener.stepStarted(model, step, i, steps.size());
          run(step, engine, engineTallies, counts, tallied);
          listener.stepFinished(model, step, i, steps.size());
        } catch (Exception e) {
          throw new StepFailed(model, step.description(), e);
        }
        if (step instanceof Step.LoadSource load) {
          load.stagedTally().ifPresent(tally -> countedLater.put(tally, load));
        }
      }
      // A load that left its rows to a tally no step counted would report too few rows read.
      for (Map.Entry<String, Step.LoadSource> load : countedLater.entrySet()) {
        if (!tallied.containsKey(load.getKey())) {
          throw new StepFailed(
              model,
              load.getValue().description(),
              new BadCount(
                  "no later step counted the rows it loaded (tally "
                      + load.getKey()
                      + "): a bug in Conform's plan"));
        }
      }
      results.add(new ModelResult(model, counts, Duration.ofNanos(System.nanoTime() - start)));
    }
    return results;
  }

  /** Why {@code step} need not run, if it need not: a statement whose condition tallied 0. */
  private static Optional<String> skipped(Step step, Map<String, Long> tallied) {
    if (!(step instanceof Step.Statement statement) || statement.onlyIf().isEmpty()) {
      return Optional.empty();
    }
    String tally = statement.onlyIf().get();
    Long count = tallied.get(tally);
    if (count == null) {
      throw new IllegalStateException("No earlier step counts tally " + tally + " (a bug)");
    }
    return count == 0 ? Optional.of("tally " + tally + " is 0") : Optional.empty();
  }

  private static void run(
      Step step,
      Engine engine,
      boolean engineTallies,
      Map<Metric, Long> counts,
      Map<String, Long> tallied)
      throws Exception {
    if (step instanceof Step.LoadSource load) {
      LoadCounts loaded = engine.load(load);
      // Rows staged are counted later, by a tally measuring ROWS_READ, when the load says so.
      long read = load.stagedTally().isPresent() ? loaded.rowsRejected() : loaded.rowsRead();
      counts.merge(Metric.ROWS_READ, read, Long::sum);
      counts.merge(Metric.ROWS_REJECTED, loaded.rowsRejected(), Long::sum);
      tallied.put(Step.LoadSource.REJECTED_TALLY, loaded.rowsRejected());
    } else if (step instanceof Step.Statement statement) {
      if (!engineTallies) {
        for (Step.Tally tally : statement.tallies()) {
          tallied.put(tally.name(), count(engine, tally.sql()));
        }
      }
      long changed = engine.execute(statement, tallied);
      statement.metric().ifPresent(metric -> counts.merge(metric, changed, Long::sum));
      for (Step.Tally tally : statement.tallies()) {
        Long count = tallied.get(tally.name());
        if (count == null) {
          throw new BadCount("the engine did not count tally " + tally.name());
        }
        tally.metric().ifPresent(metric -> counts.merge(metric, count, Long::sum));
      }
    } else if (step instanceof Step.Materialize materialize) {
      engine.materialize(materialize);
    } else if (step instanceof Step.DeleteRows delete) {
      engine.deleteRows(delete);
    } else if (step instanceof Step.Measure measure) {
      List<Metric> metrics = measure.metrics();
      List<Long> numbers = numbers(engine, measure.sql(), metrics.size());
      for (int i = 0; i < metrics.size(); i++) {
        counts.merge(metrics.get(i), numbers.get(i), Long::sum);
      }
    } else if (step instanceof Step.Expect expect) {
      long count = count(engine, expect.sql());
      if (count != 0) {
        throw new RuntimeFailure(
            expect.failureMessage().replace("{count}", Long.toString(count)), null);
      }
    } else {
      throw new IllegalStateException("Unknown step type (a bug): " + step.getClass().getName());
    }
  }

  /** A counting query that returned no number. */
  private static final class BadCount extends Exception {
    BadCount(String message) {
      super(message);
    }
  }

  /** The number a counting query returns: its only cell, NULL as zero. */
  private static long count(Engine engine, String sql) throws Exception {
    return numbers(engine, sql, 1).get(0);
  }

  /** The numbers a counting query returns: the first {@code width} cells of its row, NULL as 0. */
  private static List<Long> numbers(Engine engine, String sql, int width) throws Exception {
    List<Object> row = engine.firstRow(sql);
    if (row.size() < width) {
      throw new BadCount(
          row.isEmpty()
              ? "the measure query returned no row"
              : "the measure query returned " + row.size() + " numbers, not " + width);
    }
    List<Long> numbers = new ArrayList<>(width);
    for (Object value : row.subList(0, width)) {
      if (value == null) {
        numbers.add(0L);
      } else if (value instanceof Number number) {
        numbers.add(number.longValue());
      } else {
        throw new BadCount("the measure query returned '" + value + "', not a number");
      }
    }
    return numbers;
  }
}
