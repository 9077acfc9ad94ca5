package dev.conform.cli;

import dev.conform.dsl.SpecException;
import dev.conform.dsl.SpecFormatter;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Converts spec files between YAML and the DSL. */
@Command(
    name = "fmt",
    description =
        "Convert spec files between YAML and the DSL. Prints the result, or with --write replaces"
            + " each file by its converted twin.")
final class FmtCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Spec files (.yaml or .conform).")
  List<Path> files;

  @Option(names = "--to", required = true, description = "dsl or yaml.")
  String to;

  @Option(
      names = "--write",
      description = "Write FILE's twin (.conform or .yaml) next to it and delete FILE.")
  boolean write;

  private final Printer printer;

  @Inject
  FmtCommand(Printer printer) {
    this.printer = printer;
  }

  @Override
  public Integer call() {
    SpecFormatter.Target target =
        switch (to.toLowerCase(Locale.ROOT)) {
          case "dsl" -> SpecFormatter.Target.DSL;
          case "yaml" -> SpecFormatter.Target.YAML;
          default ->
              throw new UserException(ExitCode.USAGE, "Unknown --to '" + to + "'; use dsl or yaml");
        };
    for (Path file : files) {
      String converted;
      try {
        converted = SpecFormatter.convert(file, target);
      } catch (NoSuchFileException e) {
        throw new UserException(ExitCode.SPEC_ERRORS, "Cannot read " + file + ": no such file");
      } catch (IOException e) {
        throw new UserException(
            ExitCode.SPEC_ERRORS, "Cannot read " + file + ": " + e.getMessage());
      } catch (SpecException e) {
        printer.diagnostics(e.diagnostics());
        throw new UserException(
            ExitCode.SPEC_ERRORS, "Cannot convert " + file + ": fix the problems above first");
      }
      if (!write) {
        printer.out().print(converted);
        printer.out().flush();
        continue;
      }
      String name = file.getFileName().toString();
      String base = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
      Path twin = file.resolveSibling(base + target.extension());
      if (twin.equals(file)) {
        printer.note(file + " is already " + to);
        continue;
      }
      try {
        Files.writeString(twin, converted);
        Files.delete(file);
      } catch (IOException e) {
        throw new UserException(
            ExitCode.RUN_FAILED, "Cannot write " + twin + ": " + e.getMessage());
      }
      printer.line("wrote " + twin + " (removed " + file + ")");
    }
    return ExitCode.OK;
  }
}
