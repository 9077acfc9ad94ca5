package dev.conform.dsl;

import dev.conform.dsl.expr.Expr;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Prints the declarations of one spec file in the DSL. Expressions are printed as written; settings
 * equal to their defaults are left out. Reading the output gives the same model.
 */
public final class DslPrinter {
  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");
  private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]+");
  private static final Set<String> KEYWORDS =
      Set.of(
          "source",
          "dimension",
          "test",
          "from",
          "path",
          "format",
          "options",
          "columns",
          "delete",
          "key",
          "surrogate",
          "scd",
          "scd1",
          "scd2",
          "sequence",
          "by",
          "tie",
          "breaker",
          "track",
          "deletes",
          "valid",
          "to",
          "current",
          "flag",
          "deleted",
          "of",
          "time",
          "column",
          "where",
          "check",
          "on",
          "failure",
          "for",
          "batch",
          "file",
          "expect",
          "table",
          "cdc",
          "date",
          "timestamp");

  private DslPrinter() {}

  public static String print(SpecFile file) {
    StringBuilder out = new StringBuilder();
    for (SourceSpec source : file.sources()) {
      separate(out);
      source(source, out);
    }
    for (DimensionSpec dimension : file.dimensions()) {
      separate(out);
      dimension(dimension, out);
    }
    for (TestSpec test : file.tests()) {
      separate(out);
      test(test, out);
    }
    return out.toString();
  }

  private static void separate(StringBuilder out) {
    if (out.length() > 0) {
      out.append('\n');
    }
  }

  private static void source(SourceSpec source, StringBuilder out) {
    out.append("source ")
        .append(name(source.name().name()))
        .append(" from ")
        .append(name(source.connection().name()));
    source.path().ifPresent(p -> out.append(" path ").append(ExpressionPrinter.quote(p)));
    source.table().ifPresent(t -> out.append(" table ").append(name(t.name())));
    source.format().ifPresent(f -> out.append(" format ").append(SourceFormats.keyword(f)));
    out.append('\n');
    if (!source.options().isEmpty()) {
      out.append("  options (")
          .append(
              source.options().entrySet().stream()
                  .map(e -> optionKey(e.getKey()) + " " + ExpressionPrinter.quote(e.getValue()))
                  .collect(Collectors.joining(", ")))
          .append(")\n");
    }
    if (!source.key().isEmpty()) {
      out.append("  key (").append(identifiers(source.key())).append(")\n");
    }
    if (!source.columns().isEmpty()) {
      out.append("  columns (")
          .append(
              source.columns().stream()
                  .map(c -> identifier(c.name()) + " " + c.type())
                  .collect(Collectors.joining(", ")))
          .append(")\n");
    }
    source.cdc().ifPresent(cdc -> cdc(cdc, out));
    source.deleteWhen().ifPresent(e -> out.append("  delete when ").append(e.text()).append('\n'));
  }

  private static void cdc(CdcSpec cdc, StringBuilder out) {
    out.append("  cdc ").append(identifier(cdc.strategy().name()));
    if (!cdc.settings().isEmpty()) {
      out.append(" (")
          .append(
              cdc.settings().entrySet().stream()
                  .map(
                      e ->
                          ExpressionPrinter.name(e.getKey())
                              + " "
                              + settingValue(e.getValue().value()))
                  .collect(Collectors.joining(", ")))
          .append(')');
    }
    out.append('\n');
  }

  /**
   * A CDC setting's value: a name or a whole number as it is, anything else as a string. Inside the
   * parentheses the DSL's own words need no quotes, as in an expression.
   */
  private static String settingValue(String value) {
    if (PLAIN_NAME.matcher(value).matches()) {
      return ExpressionPrinter.name(value);
    }
    if (WHOLE_NUMBER.matcher(value).matches()) {
      return value;
    }
    return ExpressionPrinter.quote(value);
  }

  private static String optionKey(String key) {
    return PLAIN_NAME.matcher(key).matches() ? identifier(key) : ExpressionPrinter.quote(key);
  }

  private static void dimension(DimensionSpec dimension, StringBuilder out) {
    out.append("dimension ")
        .append(name(dimension.name().name()))
        .append(" from ")
        .append(name(dimension.from().name()))
        .append('\n');
    if (!dimension.businessKey().isEmpty()) {
      out.append("  key (").append(identifiers(dimension.businessKey())).append(")\n");
    }
    dimension
        .surrogateKey()
        .ifPresent(k -> out.append("  surrogate ").append(identifier(k.name())).append('\n'));
    scd(dimension.scd(), out);
    for (DerivedColumn column : dimension.columns()) {
      out.append("  column ").append(identifier(column.name().name()));
      if (!isSameColumn(column)) {
        out.append(" = ").append(column.expression().text());
      }
      out.append('\n');
    }
    dimension.where().ifPresent(e -> out.append("  where ").append(e.text()).append('\n'));
    for (Expression check : dimension.checks()) {
      out.append("  check ").append(check.text()).append('\n');
    }
    if (dimension.onCheckFailure() != CheckFailureMode.QUARANTINE) {
      out.append("  on check failure ").append(dimension.onCheckFailure().keyword()).append('\n');
    }
  }

  /** True when a derived column just keeps the source column of the same name. */
  static boolean isSameColumn(DerivedColumn column) {
    return column.expression().ast() instanceof Expr.ColumnRef ref
        && ref.name().equals(column.name().name())
        && column.expression().text().equals(column.name().name());
  }

  private static void scd(ScdSpec scd, StringBuilder out) {
    out.append("  ");
    if (scd.type() == 1 || scd.type() == 2) {
      out.append("scd").append(scd.type());
    } else {
      out.append("scd ").append(scd.type());
    }
    out.append(" sequence by ").append(scd.sequenceBy().text()).append('\n');
    if (!scd.tieBreaker().isEmpty()) {
      out.append("    tie breaker (")
          .append(scd.tieBreaker().stream().map(Expression::text).collect(Collectors.joining(", ")))
          .append(")\n");
    }
    if (!scd.track().isEmpty()) {
      out.append("    track (").append(identifiers(scd.track())).append(")\n");
    }
    if (scd.deletes() != DeleteMode.CLOSE) {
      out.append("    deletes ").append(scd.deletes().keyword()).append('\n');
    }
    option(out, "valid from", scd.validFrom(), ScdSpec.DEFAULT_VALID_FROM);
    option(out, "valid to", scd.validTo(), ScdSpec.DEFAULT_VALID_TO);
    option(out, "current flag", scd.currentFlag(), ScdSpec.DEFAULT_CURRENT_FLAG);
    option(out, "deleted flag", scd.deletedFlag(), ScdSpec.DEFAULT_DELETED_FLAG);
    scd.endOfTime()
        .ifPresent(
            e -> out.append("    end of time ").append(ExpressionPrinter.quote(e)).append('\n'));
  }

  private static void option(StringBuilder out, String keyword, String value, String fallback) {
    if (!value.equals(fallback)) {
      out.append("    ").append(keyword).append(' ').append(identifier(value)).append('\n');
    }
  }

  private static void test(TestSpec test, StringBuilder out) {
    out.append("test ")
        .append(name(test.name().name()))
        .append(" for ")
        .append(name(test.model().name()))
        .append('\n');
    for (TestBatch batch : test.batches()) {
      out.append("  batch\n");
      for (Map.Entry<String, TestTable> entry : batch.sources().entrySet()) {
        out.append("    ").append(tableName(entry.getKey()));
        table(entry.getValue(), "      ", out);
      }
    }
    out.append("  expect");
    table(test.expect(), "    ", out);
  }

  private static void table(TestTable table, String indent, StringBuilder out) {
    if (table.file().isPresent()) {
      out.append(" file ").append(ExpressionPrinter.quote(table.file().get())).append('\n');
      return;
    }
    out.append(" (")
        .append(
            table.columns().stream().map(DslPrinter::identifier).collect(Collectors.joining(", ")))
        .append(")\n");
    for (List<String> row : table.rows()) {
      out.append(indent)
          .append('(')
          .append(row.stream().map(DslPrinter::cell).collect(Collectors.joining(", ")))
          .append(")\n");
    }
  }

  private static String cell(String value) {
    if (value == null) {
      return "null";
    }
    if (NUMBER.matcher(value).matches() || value.equals("true") || value.equals("false")) {
      return value;
    }
    return ExpressionPrinter.quote(value);
  }

  private static String identifiers(List<Named> names) {
    return names.stream().map(n -> identifier(n.name())).collect(Collectors.joining(", "));
  }

  /** A single identifier: bare when it is a plain word and no keyword, else double-quoted. */
  static String identifier(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (PLAIN_NAME.matcher(name).matches()
        && !KEYWORDS.contains(lower)
        && !ExpressionPrinter.RESERVED.contains(lower)) {
      return name;
    }
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  /** A declaration name, which may be dotted ({@code crm.customers}). */
  static String name(String name) {
    String[] parts = name.split("\\.", -1);
    for (String part : parts) {
      if (part.isEmpty()) {
        return identifier(name);
      }
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      out.append(i == 0 ? "" : ".").append(identifier(parts[i]));
    }
    return out.toString();
  }

  /** A batch table name, where the DSL's words are always quoted. */
  private static String tableName(String name) {
    return name(name);
  }
}
