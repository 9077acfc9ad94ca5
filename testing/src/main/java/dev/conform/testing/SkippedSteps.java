package dev.conform.testing;

import dev.conform.spi.RunListener;
import dev.conform.spi.Step;
import java.util.ArrayList;
import java.util.List;

/** A listener that records each step a run skipped, as "description: why", in order. */
public final class SkippedSteps implements RunListener {
  private final List<String> skipped = new ArrayList<>();

  @Override
  public void stepSkipped(String model, Step step, int index, int total, String why) {
    skipped.add(step.description() + ": " + why);
  }

  /** The steps skipped so far. */
  public List<String> skipped() {
    return List.copyOf(skipped);
  }
}
