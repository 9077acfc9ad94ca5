package dev.conform.cli;

import dev.conform.spi.RunListener;
import dev.conform.spi.Step;
import java.util.Locale;

/** Prints each step's time to standard error as it finishes ({@code conform run --timings}). */
final class StepTimings implements RunListener {
  private final Printer printer;
  private final RunListener next;
  private long started;

  StepTimings(Printer printer, RunListener next) {
    this.printer = printer;
    this.next = next;
  }

  @Override
  public void stepStarted(String model, Step step, int index, int total) {
    next.stepStarted(model, step, index, total);
    started = System.nanoTime();
  }

  @Override
  public void stepFinished(String model, Step step, int index, int total) {
    printer.note(
        String.format(
            Locale.ROOT,
            "%s %2d/%d %8.3fs  %s",
            model,
            index + 1,
            total,
            (System.nanoTime() - started) / 1e9,
            step.description()));
    next.stepFinished(model, step, index, total);
  }
}
