package dev.conform.cli;

import dev.conform.spi.ConformRuntime;
import java.util.function.Supplier;

/**
 * A runtime on a throwaway warehouse, opened on first use: commands that read files only to learn
 * their columns start no engine when every source declares its columns.
 */
final class LazyScratch implements Supplier<ConformRuntime>, AutoCloseable {
  private final RuntimeRegistry runtimes;
  private final String runtime;
  private RuntimeRegistry.Scratch scratch;

  LazyScratch(RuntimeRegistry runtimes, String runtime) {
    this.runtimes = runtimes;
    this.runtime = runtime;
  }

  @Override
  public ConformRuntime get() {
    if (scratch == null) {
      scratch = runtimes.openScratch(runtime);
    }
    return scratch.runtime();
  }

  @Override
  public void close() {
    if (scratch != null) {
      scratch.close();
    }
  }
}
