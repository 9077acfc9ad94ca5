package dev.conform.cli;

/** The exit codes of the {@code conform} command, as documented in the README. */
final class ExitCode {
  /** Everything worked. */
  static final int OK = 0;

  /** The project's specs have errors (validation failed). */
  static final int SPEC_ERRORS = 1;

  /** The command line is wrong (unknown option, missing argument). */
  static final int USAGE = 2;

  /** A run failed in the engine or could not reach a connection or file; targets are unchanged. */
  static final int RUN_FAILED = 3;

  /** Spec tests ran and at least one failed. */
  static final int TESTS_FAILED = 4;

  /** A bug in Conform. */
  static final int INTERNAL = 70;

  private ExitCode() {}
}
