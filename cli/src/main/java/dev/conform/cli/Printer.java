package dev.conform.cli;

import dev.conform.dsl.Diagnostic;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * All user-facing output of the CLI: results to standard out, diagnostics and errors to standard
 * error.
 */
final class Printer {
  private final PrintWriter out;
  private final PrintWriter err;

  Printer(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  void line(String text) {
    out.println(text);
    out.flush();
  }

  void error(String text) {
    err.println("error: " + text);
    err.flush();
  }

  void warning(String text) {
    err.println("warning: " + text);
    err.flush();
  }

  void note(String text) {
    err.println(text);
    err.flush();
  }

  void diagnostics(List<Diagnostic> diagnostics) {
    for (Diagnostic diagnostic : diagnostics.stream().sorted(Diagnostic.ORDER).toList()) {
      err.println(diagnostic.format());
    }
    err.flush();
  }

  /**
   * Prints rows as an aligned table; {@code rightAligned[i]} right-aligns column i (numbers). A
   * null cell prints as {@code null}.
   */
  void table(List<String> header, List<List<String>> rows, boolean[] rightAligned) {
    int[] widths = new int[header.size()];
    for (int i = 0; i < header.size(); i++) {
      widths[i] = header.get(i).length();
    }
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], text(row.get(i)).length());
      }
    }
    out.println(format(header, widths, rightAligned));
    List<String> rule = new ArrayList<>();
    for (int width : widths) {
      rule.add("-".repeat(width));
    }
    out.println(format(rule, widths, rightAligned));
    for (List<String> row : rows) {
      out.println(format(row, widths, rightAligned));
    }
    out.flush();
  }

  private static String format(List<String> cells, int[] widths, boolean[] rightAligned) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        line.append("  ");
      }
      String cell = text(cells.get(i));
      String pad = " ".repeat(widths[i] - cell.length());
      boolean right = rightAligned != null && i < rightAligned.length && rightAligned[i];
      line.append(right ? pad + cell : (i == cells.size() - 1 ? cell : cell + pad));
    }
    return line.toString();
  }

  private static String text(String cell) {
    return cell == null ? "null" : cell;
  }

  /** Writes rows as RFC 4180 CSV with a header; NULL is an empty field. */
  void csv(List<String> header, List<List<String>> rows) {
    out.println(csvLine(header));
    for (List<String> row : rows) {
      out.println(csvLine(row));
    }
    out.flush();
  }

  private static String csvLine(List<String> cells) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        line.append(',');
      }
      String cell = cells.get(i);
      if (cell == null) {
        continue;
      }
      if (cell.contains(",") || cell.contains("\"") || cell.contains("\n")) {
        line.append('"').append(cell.replace("\"", "\"\"")).append('"');
      } else {
        line.append(cell);
      }
    }
    return line.toString();
  }
}
