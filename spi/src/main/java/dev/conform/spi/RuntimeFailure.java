package dev.conform.spi;

import java.util.Optional;

/**
 * A run or query failed in the engine. The message says what failed and where (model, step); the
 * targets are as they were before the run.
 */
public class RuntimeFailure extends RuntimeException {
  private final String model;
  private final String step;

  public RuntimeFailure(String message, String model, String step, Throwable cause) {
    super(message, cause);
    this.model = model;
    this.step = step;
  }

  public RuntimeFailure(String message, Throwable cause) {
    this(message, null, null, cause);
  }

  public Optional<String> model() {
    return Optional.ofNullable(model);
  }

  public Optional<String> step() {
    return Optional.ofNullable(step);
  }
}
