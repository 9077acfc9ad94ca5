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
    print(model, step, index, total, String.format(Locale.ROOT, "%8.3fs", elapsed()));
    next.stepFinished(model, step, index, total);
  }

  @Override
  public void stepSkipped(String model, Step step, int index, int total, String why) {
    print(model, step, index, total, " skipped (" + why + ")");
    next.stepSkipped(model, step, index, total, why);
  }

  private double elapsed() {
    return (System.nanoTime() - started) / 1e9;
  }

  private void print(String model, Step step, int index, int total, String time) {
    printer.note(
        String.format(
            Locale.ROOT, "%s %2d/%d %s  %s", model, index + 1, total, time, step.description()));
  }
}
