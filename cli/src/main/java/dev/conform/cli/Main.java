package dev.conform.cli;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import java.io.PrintWriter;
import picocli.CommandLine;

/** The {@code conform} command's entry point. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(execute(out, err, args));
  }

  /**
   * Runs {@code conform} with {@code args}, writing to the given streams; returns the exit code.
   */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    Printer printer = new Printer(out, err);
    Injector injector =
        Guice.createInjector(
            new AbstractModule() {
              @Override
              protected void configure() {
                bind(Printer.class).toInstance(printer);
                bind(RuntimeRegistry.class).asEagerSingleton();
              }
            });
    CommandLine.IFactory defaults = CommandLine.defaultFactory();
    CommandLine commandLine =
        new CommandLine(
            ConformCommand.class,
            new CommandLine.IFactory() {
              @Override
              public <K> K create(Class<K> type) throws Exception {
                // Commands come from Guice; picocli's own values (lists, converters) do not.
                return type.getPackageName().equals(Main.class.getPackageName())
                    ? injector.getInstance(type)
                    : defaults.create(type);
              }
            });
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExecutionExceptionHandler(
        (exception, line, parseResult) -> {
          if (exception instanceof UserException user) {
            printer.error(user.getMessage());
            return user.exitCode();
          }
          printer.error(
              "internal error (a bug in Conform; please report it with this trace): " + exception);
          exception.printStackTrace(err);
          err.flush();
          return ExitCode.INTERNAL;
        });
    commandLine.setParameterExceptionHandler(
        (exception, arguments) -> {
          printer.error(exception.getMessage());
          exception.getCommandLine().usage(err);
          return ExitCode.USAGE;
        });
    return commandLine.execute(args);
  }
}
