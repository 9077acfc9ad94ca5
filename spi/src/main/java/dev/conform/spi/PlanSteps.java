package dev.conform.spi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Walks a plan's models and steps in order for a runtime: tells the listener, collects each model's
 * counts and time, and says where a failure happened. The runtime runs the steps and owns the
 * transaction around them.
 */
public final class PlanSteps {
  private PlanSteps() {}

  /** Runs one step, adding what it measures to {@code counts}. */
  @FunctionalInterface
  public interface StepRunner {
    void run(Step step, Map<Metric, Long> counts) throws Exception;
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
      return new RuntimeFailure(
          "Cannot run model '" + model + "', step '" + step + "': " + detail,
          model,
          step,
          getCause());
    }
  }

  /** Runs every step of every model, in order, and returns each model's result. */
  public static List<ModelResult> run(Plan plan, RunListener listener, StepRunner runner)
      throws StepFailed {
    List<ModelResult> results = new ArrayList<>();
    for (ModelPlan modelPlan : plan.models()) {
      String model = modelPlan.model();
      long start = System.nanoTime();
      Map<Metric, Long> counts = new EnumMap<>(Metric.class);
      List<Step> steps = modelPlan.steps();
      for (int i = 0; i < steps.size(); i++) {
        Step step = steps.get(i);
        try {
          listener.stepStarted(model, step, i, steps.size());
          runner.run(step, counts);
          listener.stepFinished(model, step, i, steps.size());
        } catch (Exception e) {
          throw new StepFailed(model, step.description(), e);
        }
      }
      results.add(new ModelResult(model, counts, Duration.ofNanos(System.nanoTime() - start)));
    }
    return results;
  }
}
