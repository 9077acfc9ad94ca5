package dev.conform.cli;

import dev.conform.cdc.ChangeLogSettings;
import dev.conform.cdc.ChangeLogTriggers;
import dev.conform.cdc.ExtractFailure;
import dev.conform.cdc.SourceRequest;
import dev.conform.dsl.CdcSpec;
import dev.conform.dsl.SourceSpec;
import dev.conform.spi.WarehouseConnection;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code conform cdc install-triggers SOURCE}: creates the log table and the triggers a {@code
 * change_log} source reads, on PostgreSQL, MariaDB or MySQL.
 */
@Command(
    name = "install-triggers",
    description =
        "Create the log table and the triggers that a source with cdc change_log reads"
            + " (PostgreSQL, MariaDB, MySQL).")
final class InstallTriggersCommand implements Callable<Integer> {
  @Mixin ProjectOption project;

  @Parameters(paramLabel = "SOURCE", description = "The source whose table to track.")
  String source;

  @Option(names = "--dry-run", description = "Print the SQL only; change nothing.")
  boolean dryRun;

  @Option(
      names = "--replace",
      description =
          "Drop and create the triggers (and function) again; the log table and its rows stay.")
  boolean replace;

  private final Printer printer;

  @Inject
  InstallTriggersCommand(Printer printer) {
    this.printer = printer;
  }

  @Override
  public Integer call() {
    ProjectContext context = ProjectContext.load(project.project, printer);
    SourceSpec spec = context.requireSource(source);
    spec.cdc()
        .filter(c -> c.strategy().name().equals(CdcSpec.CHANGE_LOG))
        .orElseThrow(
            () ->
                new UserException(
                    ExitCode.USAGE,
                    "Source '"
                        + source
                        + "' does not capture changes by change_log ("
                        + spec.cdc()
                            .map(c -> "its cdc is " + c.strategy().name())
                            .orElse("it has no cdc")
                        + "); install-triggers sets up a table source with cdc: { strategy:"
                        + " change_log }"));
    SourceRequest request = SourceCapture.request(context, spec);
    WarehouseConnection connection = request.connection();
    if (!ChangeLogTriggers.DATABASES.contains(connection.type())) {
      throw new UserException(
          ExitCode.USAGE,
          "Cannot install triggers for source '"
              + source
              + "': its connection '"
              + connection.name()
              + "' is of type "
              + connection.type()
              + "; install-triggers supports postgresql, mariadb and mysql (on others, fill"
              + " the log table by your own triggers)");
    }
    String table = request.table();
    ChangeLogSettings settings = ChangeLogSettings.of(spec);
    ChangeLogTriggers.Result result;
    try {
      result = ChangeLogTriggers.install(request, settings, replace, dryRun);
    } catch (ExtractFailure e) {
      throw new UserException(ExitCode.RUN_FAILED, e.getMessage());
    }
    switch (result.outcome()) {
      case PLANNED -> {
        result.statements().forEach(s -> printer.line(s + ";"));
        printer.note("dry run: nothing was changed");
      }
      case ALREADY_INSTALLED ->
          printer.line(
              "The change log triggers of source '"
                  + source
                  + "' are already installed on table '"
                  + table
                  + "'; nothing was changed (--replace creates them again)");
      case INSTALLED, REPLACED -> {
        result.created().forEach(c -> printer.line("created " + c));
        printer.line(
            "Changes to table '"
                + table
                + "' are logged to '"
                + settings.logTable()
                + "'"
                + (result.outcome() == ChangeLogTriggers.Outcome.REPLACED
                    ? " (triggers replaced; the log table and its rows were kept)"
                    : "")
                + "; conform run reads them for source '"
                + source
                + "'");
      }
    }
    if (!result.uncopied().isEmpty()) {
      printer.warning(
          "the log table '"
              + settings.logTable()
              + "' has no column for "
              + String.join(", ", result.uncopied())
              + " of table '"
              + table
              + "', so the triggers do not log them; add them to the log table and run conform"
              + " cdc install-triggers "
              + source
              + " --replace");
    }
    return ExitCode.OK;
  }
}
