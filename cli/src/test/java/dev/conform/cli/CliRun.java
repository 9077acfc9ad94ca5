package dev.conform.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One invocation of the CLI in-process, with what it printed. */
record CliRun(int exitCode, String out, String err) {
  static CliRun of(Path project, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (project != null) {
      all.add("--project");
      all.add(project.toString());
    }
    return execute(all.toArray(String[]::new));
  }

  static CliRun execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
