package dev.conform.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --project} option the project commands share. */
final class ProjectOption {
  @Option(
      names = {"-p", "--project"},
      description = "The project folder (default: the current folder).",
      defaultValue = ".")
  Path project;
}
