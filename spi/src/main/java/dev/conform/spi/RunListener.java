package dev.conform.spi;

/**
 * Receives progress while a runtime executes a plan. Called on the thread that called {@link
 * ConformRuntime#execute}; implementations must return quickly.
 */
public interface RunListener {
  RunListener NONE = new RunListener() {};

  /** Called before step {@code index} (0-based) of {@code total} steps of {@code model}. */
  default void stepStarted(String model, Step step, int index, int total) {}

  /** Called after a step finished without error. */
  default void stepFinished(String model, Step step, int index, int total) {}

  /**
   * Called instead of {@link #stepStarted} and {@link #stepFinished} for a step that did not run
   * because it would change nothing; {@code why} says how that is known. By default, a step that
   * started and finished at once, so that a listener that pairs the two sees both.
   */
  default void stepSkipped(String model, Step step, int index, int total, String why) {
    stepStarted(model, step, index, total);
    stepFinished(model, step, index, total);
  }
}
