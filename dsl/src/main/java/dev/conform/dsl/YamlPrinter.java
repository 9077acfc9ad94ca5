package dev.conform.dsl;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Prints the declarations of one spec file as YAML. Expressions are printed as written; settings
 * equal to their defaults are left out. Reading the output gives the same model.
 */
public final class YamlPrinter {
  private static final Pattern PLAIN =
      Pattern.compile("[A-Za-z0-9_/][A-Za-z0-9_./\\-]*( [A-Za-z0-9_./\\-]+)*");
  private static final Set<String> NULL_WORDS = Set.of("null", "Null", "NULL", "~");

  private YamlPrinter() {}

  public static String print(SpecFile file) {
    StringBuilder out = new StringBuilder();
    if (!file.sources().isEmpty()) {
      out.append("sources:\n");
      file.sources().forEach(source -> source(source, out));
    }
    if (!file.dimensions().isEmpty()) {
      separate(out);
      out.append("dimensions:\n");
      file.dimensions().forEach(dimension -> dimension(dimension, out));
    }
    if (!file.tests().isEmpty()) {
      separate(out);
      out.append("tests:\n");
      file.tests().forEach(test -> test(test, out));
    }
    return out.toString();
  }

  private static void separate(StringBuilder out) {
    if (out.length() > 0) {
      out.append('\n');
    }
  }

  private static void source(SourceSpec source, StringBuilder out) {
    out.append("  - name: ").append(scalar(source.name().name())).append('\n');
    line(out, 4, "connection", scalar(source.connection().name()));
    source.path().ifPresent(p -> line(out, 4, "path", scalar(p)));
    source.table().ifPresent(t -> line(out, 4, "table", scalar(t.name())));
    source.format().ifPresent(f -> line(out, 4, "format", SourceFormats.keyword(f)));
    if (!source.options().isEmpty()) {
      out.append("    options:\n");
      source.options().forEach((key, value) -> line(out, 6, scalar(key), scalar(value)));
    }
    if (!source.key().isEmpty()) {
      line(out, 4, "key", names(source.key()));
    }
    if (!source.columns().isEmpty()) {
      out.append("    columns:\n");
      source.columns().forEach(c -> line(out, 6, scalar(c.name()), c.type().toString()));
    }
    source
        .cdc()
        .ifPresent(
            cdc -> {
              out.append("    cdc:\n");
              line(out, 6, YamlSpecReader.CDC_STRATEGY, scalar(cdc.strategy().name()));
              cdc.settings()
                  .forEach((key, setting) -> line(out, 6, scalar(key), scalar(setting.value())));
            });
    source.deleteWhen().ifPresent(e -> line(out, 4, "delete_when", scalar(e.text())));
  }

  private static void dimension(DimensionSpec dimension, StringBuilder out) {
    out.append("  - name: ").append(scalar(dimension.name().name())).append('\n');
    line(out, 4, "from", scalar(dimension.from().name()));
    line(out, 4, "business_key", names(dimension.businessKey()));
    dimension.surrogateKey().ifPresent(k -> line(out, 4, "surrogate_key", scalar(k.name())));
    ScdSpec scd = dimension.scd();
    out.append("    scd:\n");
    line(out, 6, "type", String.valueOf(scd.type()));
    line(out, 6, "sequence_by", scalar(scd.sequenceBy().text()));
    if (!scd.tieBreaker().isEmpty()) {
      line(
          out,
          6,
          "tie_breaker",
          scd.tieBreaker().stream()
              .map(e -> scalar(e.text()))
              .collect(Collectors.joining(", ", "[", "]")));
    }
    if (!scd.track().isEmpty()) {
      line(out, 6, "track", names(scd.track()));
    }
    if (scd.deletes() != DeleteMode.CLOSE) {
      line(out, 6, "deletes", scd.deletes().keyword());
    }
    option(out, "valid_from", scd.validFrom(), ScdSpec.DEFAULT_VALID_FROM);
    option(out, "valid_to", scd.validTo(), ScdSpec.DEFAULT_VALID_TO);
    option(out, "current_flag", scd.currentFlag(), ScdSpec.DEFAULT_CURRENT_FLAG);
    option(out, "deleted_flag", scd.deletedFlag(), ScdSpec.DEFAULT_DELETED_FLAG);
    scd.endOfTime().ifPresent(e -> line(out, 6, "end_of_time", quoted(e)));
    if (!dimension.columns().isEmpty()) {
      out.append("    columns:\n");
      for (DerivedColumn column : dimension.columns()) {
        String key = scalar(column.name().name());
        if (DslPrinter.isSameColumn(column)) {
          out.append("      ").append(key).append(":\n");
        } else {
          line(out, 6, key, scalar(column.expression().text()));
        }
      }
    }
    dimension.where().ifPresent(e -> line(out, 4, "where", scalar(e.text())));
    if (!dimension.checks().isEmpty()) {
      out.append("    checks:\n");
      dimension.checks().forEach(c -> out.append("      - ").append(scalar(c.text())).append('\n'));
    }
    if (dimension.onCheckFailure() != CheckFailureMode.QUARANTINE) {
      line(out, 4, "on_check_failure", dimension.onCheckFailure().keyword());
    }
  }

  private static void option(StringBuilder out, String key, String value, String fallback) {
    if (!value.equals(fallback)) {
      line(out, 6, key, scalar(value));
    }
  }

  private static void test(TestSpec test, StringBuilder out) {
    out.append("  - name: ").append(scalar(test.name().name())).append('\n');
    line(out, 4, "model", scalar(test.model().name()));
    if (!test.batches().isEmpty()) {
      out.append("    batches:\n");
      for (TestBatch batch : test.batches()) {
        if (batch.sources().isEmpty()) {
          out.append("      - {}\n");
          continue;
        }
        String prefix = "      - ";
        for (Map.Entry<String, TestTable> entry : batch.sources().entrySet()) {
          out.append(prefix).append(scalar(entry.getKey())).append(":\n");
          table(entry.getValue(), 10, out);
          prefix = "        ";
        }
      }
    }
    out.append("    expect:\n");
    table(test.expect(), 6, out);
  }

  private static void table(TestTable table, int indent, StringBuilder out) {
    if (table.file().isPresent()) {
      line(out, indent, "file", scalar(table.file().get()));
      return;
    }
    if (table.rows().isEmpty()) {
      line(
          out,
          indent,
          "columns",
          table.columns().stream()
              .map(YamlPrinter::scalar)
              .collect(Collectors.joining(", ", "[", "]")));
      line(out, indent, "rows", "[]");
      return;
    }
    out.append(" ".repeat(indent)).append("rows:\n");
    for (List<String> row : table.rows()) {
      StringBuilder cells = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        cells.append(i == 0 ? "" : ", ").append(scalar(table.columns().get(i))).append(": ");
        cells.append(row.get(i) == null ? "null" : scalar(row.get(i)));
      }
      out.append(" ".repeat(indent)).append("  - { ").append(cells).append(" }\n");
    }
  }

  private static void line(StringBuilder out, int indent, String key, String value) {
    out.append(" ".repeat(indent)).append(key).append(": ").append(value).append('\n');
  }

  private static String names(List<Named> names) {
    return names.stream().map(n -> scalar(n.name())).collect(Collectors.joining(", ", "[", "]"));
  }

  /** A YAML scalar: plain when that reads back as the same text, quoted otherwise. */
  static String scalar(String text) {
    if (PLAIN.matcher(text).matches() && !NULL_WORDS.contains(text)) {
      return text;
    }
    return quoted(text);
  }

  /** Always quoted: double quotes unless the text has characters that would need escapes. */
  static String quoted(String text) {
    boolean control = text.chars().anyMatch(c -> c < 0x20);
    if (!control && text.indexOf('"') < 0 && text.indexOf('\\') < 0) {
      return "\"" + text + "\"";
    }
    if (!control) {
      return "'" + text.replace("'", "''") + "'";
    }
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
