package dev.conform.cli;

import dev.conform.dsl.TestSpec;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs the project's spec-level unit tests. */
@Command(
    name = "test",
    description =
        "Run the spec tests: apply each test's batches to a fresh in-memory warehouse and compare"
            + " the model's rows with the expected ones.")
final class TestCommand implements Callable<Integer> {
  @Mixin ProjectOption project;

  @Parameters(paramLabel = "TEST", description = "Tests to run (default: all).")
  List<String> names = new ArrayList<>();

  @Option(names = "--runtime", description = "The runtime to use (default: the project's).")
  Optional<String> runtime;

  private final Printer printer;
  private final RuntimeRegistry runtimes;

  @Inject
  TestCommand(Printer printer, RuntimeRegistry runtimes) {
    this.printer = printer;
    this.runtimes = runtimes;
  }

  @Override
  public Integer call() {
    ProjectContext context = ProjectContext.load(project.project, printer);
    List<TestSpec> tests =
        context.spec().tests().stream()
            .filter(t -> names.isEmpty() || names.contains(t.name().name()))
            .toList();
    for (String name : names) {
      if (tests.stream().noneMatch(t -> t.name().name().equals(name))) {
        throw new UserException(ExitCode.USAGE, "Unknown test '" + name + "'");
      }
    }
    SpecTestRunner runner =
        new SpecTestRunner(context, runtimes, context.runtimeName(runtime, runtimes), printer);
    int passed = 0;
    int failed = 0;
    for (TestSpec test : tests) {
      SpecTestRunner.Result result = runner.run(test);
      String label =
          test.position()
              + " "
              + test.name().name()
              + " ("
              + RunCommand.seconds(result.nanos())
              + ")";
      if (result.failure().isEmpty()) {
        passed++;
        printer.line("PASS " + label);
      } else {
        failed++;
        printer.line("FAIL " + label);
        for (String line : result.failure().get().split("\n")) {
          printer.line("    " + line);
        }
      }
    }
    printer.line(passed + " passed, " + failed + " failed");
    return failed == 0 ? ExitCode.OK : ExitCode.TESTS_FAILED;
  }
}
