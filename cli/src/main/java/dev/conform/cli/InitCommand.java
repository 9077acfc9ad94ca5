package dev.conform.cli;

import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Creates a new project skeleton that validates, runs and tests out of the box. */
@Command(
    name = "init",
    description = "Create a new project: conform.yaml, a Type 2 dimension, sample data and a test.")
final class InitCommand implements Callable<Integer> {
  /** Skeleton files: resource name (dots for folders) and the path written. */
  private static final List<String[]> FILES =
      List.of(
          new String[] {"conform.yaml", "conform.yaml"},
          new String[] {"models.customers.yaml", "models/customers.yaml"},
          new String[] {"data.customers.2024-01-01.csv", "data/customers/2024-01-01.csv"},
          new String[] {"tests.dim_customer_test.yaml", "tests/dim_customer_test.yaml"});

  @Parameters(paramLabel = "DIR", defaultValue = ".", description = "The folder to create it in.")
  Path directory;

  private final Printer printer;

  @Inject
  InitCommand(Printer printer) {
    this.printer = printer;
  }

  @Override
  public Integer call() {
    // Check every file first, so a refusal leaves nothing half-created.
    for (String[] file : FILES) {
      if (Files.exists(directory.resolve(file[1]))) {
        throw new UserException(
            ExitCode.USAGE,
            "Cannot create a project in "
                + directory
                + ": "
                + directory.resolve(file[1])
                + " already exists; choose an empty folder, or move that file away");
      }
    }
    for (String[] file : FILES) {
      Path target = directory.resolve(file[1]);
      try (InputStream in = InitCommand.class.getResourceAsStream("init/" + file[0])) {
        if (in == null) {
          throw new IllegalStateException("Bug: init template missing: " + file[0]);
        }
        Files.createDirectories(target.getParent() == null ? directory : target.getParent());
        Files.copy(in, target);
      } catch (IOException e) {
        throw new UserException(
            ExitCode.RUN_FAILED,
            "Cannot create a project in "
                + directory
                + ": cannot write "
                + target
                + " ("
                + e
                + "); choose a folder you can write to");
      }
      printer.line("created " + target);
    }
    printer.line("");
    printer.line(
        "Next: cd "
            + directory
            + " && conform validate && conform run && conform show dim_customer && conform test");
    return ExitCode.OK;
  }
}
