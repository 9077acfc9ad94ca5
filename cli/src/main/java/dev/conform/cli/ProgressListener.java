package dev.conform.cli;

import dev.conform.spi.RunListener;
import dev.conform.spi.Step;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a progress bar per model on an interactive terminal: steps done of steps planned, with the
 * running step's name, so a long step shows which work is under way. Silent when not interactive.
 */
final class ProgressListener implements RunListener, AutoCloseable {
  private final PrintStream terminal;
  private ProgressBar bar;

  ProgressListener(PrintStream terminal) {
    this.terminal = terminal;
  }

  static RunListener forConsole() {
    return System.console() == null ? RunListener.NONE : new ProgressListener(System.err);
  }

  @Override
  public void stepStarted(String model, Step step, int index, int total) {
    if (index == 0) {
      close();
      bar =
          new ProgressBarBuilder()
              .setTaskName(model)
              .setInitialMax(total)
              .setStyle(ProgressBarStyle.ASCII)
              .setUpdateIntervalMillis(250)
              .setConsumer(new ConsoleProgressBarConsumer(terminal))
              .build();
    }
    bar.setExtraMessage(step.description());
  }

  @Override
  public void stepFinished(String model, Step step, int index, int total) {
    bar.step();
    if (index == total - 1) {
      close();
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
