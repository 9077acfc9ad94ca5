package dev.conform.cli;

import picocli.CommandLine.Command;

/** The top-level {@code conform} command; the work is done by its subcommands. */
@Command(
    name = "conform",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Metadata-driven ETL: load SCD Type 1 and Type 2 dimensions from specs.",
    subcommands = {
      InitCommand.class,
      ValidateCommand.class,
      PlanCommand.class,
      RunCommand.class,
      ShowCommand.class,
      TestCommand.class,
      FmtCommand.class,
      RunsCommand.class,
      CdcCommand.class,
      picocli.CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 ok, 1 spec errors, 2 usage error, 3 run failed (targets unchanged),",
      "4 spec tests failed, 70 internal error."
    })
final class ConformCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
