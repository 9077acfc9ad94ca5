package dev.conform.cli;

import picocli.CommandLine.Command;

/** {@code conform cdc}: sets up what a source's change capture reads at the source. */
@Command(
    name = "cdc",
    description = "Set up change capture at a source database.",
    subcommands = {InstallTriggersCommand.class, picocli.CommandLine.HelpCommand.class})
final class CdcCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
