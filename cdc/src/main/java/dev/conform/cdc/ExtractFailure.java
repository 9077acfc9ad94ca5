package dev.conform.cdc;

/**
 * Reading a source failed. The message names the source and its connection (never a password), says
 * what failed and how to fix it, and that nothing was loaded: a failed extraction moves no
 * position.
 */
public final class ExtractFailure extends RuntimeException {
  public ExtractFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
