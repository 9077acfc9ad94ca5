package dev.conform.dsl;

import dev.conform.dsl.expr.Expr;
import dev.conform.dsl.parser.ConformLexer;
import dev.conform.dsl.parser.ConformParser;
import dev.conform.spi.DataType;
import dev.conform.spi.SourceData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.Interval;

/** Reads a {@code .conform} DSL file into the model. */
final class DslSpecReader {
  private final String file;
  private final TokenPositions positions;
  private final List<Diagnostic> diagnostics = new ArrayList<>();
  private CharStream chars;

  private DslSpecReader(String file) {
    this.file = file;
    this.positions = TokenPositions.inFile(file);
  }

  static SpecFile read(String file, String text) {
    return new DslSpecReader(file).read(text);
  }

  private SpecFile read(String text) {
    chars = CharStreams.fromString(text, file);
    ConformLexer lexer = new ConformLexer(chars);
    lexer.removeErrorListeners();
    ConformParser parser = new ConformParser(new CommonTokenStream(lexer));
    parser.removeErrorListeners();
    SyntaxErrorCollector errors =
        new SyntaxErrorCollector(DiagnosticCode.DSL_SYNTAX, "spec", positions);
    parser.addErrorListener(errors);
    ConformParser.SpecFileContext tree = parser.specFile();
    if (errors.hasErrors()) {
      // A tree repaired by error recovery would only produce follow-on errors.
      return new SpecFile(file, List.of(), List.of(), List.of(), errors.diagnostics());
    }
    List<SourceSpec> sources = new ArrayList<>();
    List<DimensionSpec> dimensions = new ArrayList<>();
    List<TestSpec> tests = new ArrayList<>();
    for (ConformParser.DeclarationContext declaration : tree.declaration()) {
      if (declaration.sourceDeclaration() != null) {
        sources.add(source(declaration.sourceDeclaration()));
      } else if (declaration.dimensionDeclaration() != null) {
        dimension(declaration.dimensionDeclaration()).ifPresent(dimensions::add);
      } else {
        tests.add(test(declaration.testDeclaration()));
      }
    }
    return new SpecFile(file, sources, dimensions, tests, diagnostics);
  }

  private Position at(ParserRuleContext context) {
    return positions.at(context.getStart());
  }

  private Position at(Token token) {
    return positions.at(token);
  }

  private Named name(ConformParser.NameContext ctx) {
    String name =
        ctx.identifier().stream().map(ExprBuilder::identifier).collect(Collectors.joining("."));
    return new Named(name, at(ctx));
  }

  private Named name(ConformParser.IdentifierContext ctx) {
    return new Named(ExprBuilder.identifier(ctx), at(ctx));
  }

  private Expression expression(ConformParser.ExpressionContext ctx) {
    String text =
        chars.getText(Interval.of(ctx.getStart().getStartIndex(), ctx.getStop().getStopIndex()));
    Expr ast = new ExprBuilder(positions, diagnostics).build(ctx);
    return new Expression(text, ast, at(ctx));
  }

  /** Reports a clause given twice; returns true the first time. */
  private boolean once(Set<String> seen, String clause, ParserRuleContext ctx) {
    if (seen.add(clause)) {
      return true;
    }
    diagnostics.add(
        Diagnostic.error(
            DiagnosticCode.DSL_SYNTAX, at(ctx), "cannot parse spec: '" + clause + "' given twice"));
    return false;
  }

  private SourceSpec source(ConformParser.SourceDeclarationContext ctx) {
    Named name = name(ctx.name(0));
    Named connection = name(ctx.name(1));
    Optional<String> path = Optional.empty();
    Optional<Named> table = Optional.empty();
    Optional<SourceData.Format> format = Optional.empty();
    Map<String, String> options = new LinkedHashMap<>();
    List<ColumnSpec> columns = new ArrayList<>();
    List<Named> key = new ArrayList<>();
    Optional<CdcSpec> cdc = Optional.empty();
    Optional<Expression> deleteWhen = Optional.empty();
    Set<String> seen = new HashSet<>();
    // Where format and options were given, to report them on a table source.
    Map<String, Position> fileClauses = new LinkedHashMap<>();
    for (ConformParser.SourceClauseContext clause : ctx.sourceClause()) {
      if (clause instanceof ConformParser.PathClauseContext c && once(seen, "path", c)) {
        path = Optional.of(ExprBuilder.unquote(c.STRING().getText()));
      } else if (clause instanceof ConformParser.TableClauseContext c && once(seen, "table", c)) {
        table = Optional.of(name(c.name()));
      } else if (clause instanceof ConformParser.SourceKeyClauseContext c && once(seen, "key", c)) {
        key.addAll(names(c.nameList()));
      } else if (clause instanceof ConformParser.CdcClauseContext c && once(seen, "cdc", c)) {
        cdc = Optional.of(cdc(c));
      } else if (clause instanceof ConformParser.FormatClauseContext c && once(seen, "format", c)) {
        fileClauses.put("format", at(c));
        String keyword = ExprBuilder.identifier(c.identifier());
        format = SourceFormats.parse(keyword);
        if (format.isEmpty()) {
          diagnostics.add(
              YamlDocument.invalidChoice(
                  at(c.identifier()), "format", keyword, SourceFormats.KEYWORDS));
        }
      } else if (clause instanceof ConformParser.OptionsClauseContext c
          && once(seen, "options", c)) {
        fileClauses.put("options", at(c));
        for (ConformParser.OptionContext option : c.option()) {
          options.put(optionKey(option), optionValue(option.optionValue()));
        }
      } else if (clause instanceof ConformParser.ColumnsClauseContext c
          && once(seen, "columns", c)) {
        for (ConformParser.ColumnDefinitionContext column : c.columnDefinition()) {
          String typeText = column.typeName().getText();
          Optional<DataType> type = DataType.parse(typeText);
          if (type.isEmpty()) {
            diagnostics.add(ExprBuilder.unknownType(typeText, at(column.typeName())));
          } else {
            columns.add(
                new ColumnSpec(
                    ExprBuilder.identifier(column.identifier()), type.get(), at(column)));
          }
        }
      } else if (clause instanceof ConformParser.DeleteWhenClauseContext c
          && once(seen, "delete when", c)) {
        deleteWhen = Optional.of(expression(c.expression()));
      }
    }
    if (table.isPresent() && path.isEmpty()) {
      for (Map.Entry<String, Position> clause : fileClauses.entrySet()) {
        diagnostics.add(
            YamlSpecReader.filesOnly(clause.getKey(), name, table.get(), clause.getValue()));
      }
    }
    if (format.isEmpty() && !seen.contains("format")) {
      format = path.flatMap(SourceFormats::fromPath);
    }
    return new SourceSpec(
        name, connection, path, table, format, options, columns, key, cdc, deleteWhen, at(ctx));
  }

  private CdcSpec cdc(ConformParser.CdcClauseContext ctx) {
    Map<String, CdcSpec.Setting> settings = new LinkedHashMap<>();
    Map<String, Position> keys = new HashMap<>();
    for (ConformParser.OptionContext option : ctx.option()) {
      String key = optionKey(option).toLowerCase(Locale.ROOT);
      Position previous = keys.putIfAbsent(key, at(option));
      if (previous != null) {
        diagnostics.add(
            Diagnostic.error(
                DiagnosticCode.DUPLICATE_NAME,
                at(option),
                "duplicate cdc setting '" + key + "'",
                "first given at " + previous));
        continue;
      }
      settings.put(
          key,
          new CdcSpec.Setting(
              optionValue(option.optionValue()), at(option), at(option.optionValue())));
    }
    Named strategy = name(ctx.identifier());
    return new CdcSpec(
        new Named(strategy.name().toLowerCase(Locale.ROOT), strategy.position()),
        settings,
        at(ctx));
  }

  private static String optionKey(ConformParser.OptionContext option) {
    return option.identifier() != null
        ? ExprBuilder.identifier(option.identifier())
        : ExprBuilder.unquote(option.STRING().getText());
  }

  private static String optionValue(ConformParser.OptionValueContext ctx) {
    if (ctx.STRING() != null) {
      return ExprBuilder.unquote(ctx.STRING().getText());
    }
    if (ctx.identifier() != null) {
      return ExprBuilder.identifier(ctx.identifier());
    }
    return ctx.getText().toLowerCase(Locale.ROOT);
  }

  private Optional<DimensionSpec> dimension(ConformParser.DimensionDeclarationContext ctx) {
    Named name = name(ctx.name(0));
    Named from = name(ctx.name(1));
    List<Named> businessKey = new ArrayList<>();
    Optional<Named> surrogateKey = Optional.empty();
    Optional<ScdSpec> scd = Optional.empty();
    List<DerivedColumn> columns = new ArrayList<>();
    Optional<Expression> where = Optional.empty();
    List<Expression> checks = new ArrayList<>();
    CheckFailureMode onCheckFailure = CheckFailureMode.QUARANTINE;
    Set<String> seen = new HashSet<>();
    for (ConformParser.DimensionClauseContext clause : ctx.dimensionClause()) {
      if (clause instanceof ConformParser.KeyClauseContext c && once(seen, "key", c)) {
        businessKey.addAll(names(c.nameList()));
      } else if (clause instanceof ConformParser.SurrogateClauseContext c
          && once(seen, "surrogate", c)) {
        surrogateKey = Optional.of(name(c.identifier()));
      } else if (clause instanceof ConformParser.ScdClauseContext c && once(seen, "scd", c)) {
        scd = Optional.of(scd(c));
      } else if (clause instanceof ConformParser.ColumnClauseContext c) {
        Named column = name(c.identifier());
        Expression expression =
            c.expression() != null
                ? expression(c.expression())
                : new Expression(
                    column.name(),
                    new Expr.ColumnRef(column.name(), column.position()),
                    column.position());
        columns.add(new DerivedColumn(column, expression));
      } else if (clause instanceof ConformParser.WhereClauseContext c && once(seen, "where", c)) {
        where = Optional.of(expression(c.expression()));
      } else if (clause instanceof ConformParser.CheckClauseContext c) {
        checks.add(expression(c.expression()));
      } else if (clause instanceof ConformParser.OnCheckFailureClauseContext c
          && once(seen, "on check failure", c)) {
        String keyword = ExprBuilder.identifier(c.identifier());
        Optional<CheckFailureMode> mode = CheckFailureMode.parse(keyword);
        if (mode.isEmpty()) {
          diagnostics.add(
              YamlDocument.invalidChoice(
                  at(c.identifier()),
                  "on check failure",
                  keyword,
                  YamlSpecReader.keywords(CheckFailureMode.values())));
        }
        onCheckFailure = mode.orElse(CheckFailureMode.QUARANTINE);
      }
    }
    if (businessKey.isEmpty()) {
      diagnostics.add(
          Diagnostic.error(
              DiagnosticCode.MISSING_KEY,
              at(ctx),
              "missing key in dimension '" + name.name() + "'",
              "add key (<column>, ...)"));
    }
    if (scd.isEmpty()) {
      diagnostics.add(
          Diagnostic.error(
              DiagnosticCode.MISSING_KEY,
              at(ctx),
              "missing scd in dimension '" + name.name() + "'",
              "add scd1 or scd2 sequence by <expression>"));
      return Optional.empty();
    }
    return Optional.of(
        new DimensionSpec(
            name,
            from,
            businessKey,
            surrogateKey,
            scd.get(),
            columns,
            where,
            checks,
            onCheckFailure,
            at(ctx)));
  }

  private List<Named> names(ConformParser.NameListContext ctx) {
    return ctx.identifier().stream().map(this::name).toList();
  }

  private ScdSpec scd(ConformParser.ScdClauseContext ctx) {
    ConformParser.ScdKindContext kind = ctx.scdKind();
    int type;
    if (kind.SCD1() != null) {
      type = 1;
    } else if (kind.SCD2() != null) {
      type = 2;
    } else {
      String text = kind.INTEGER_VALUE().getText();
      try {
        type = Integer.parseInt(text);
      } catch (NumberFormatException e) {
        diagnostics.add(
            Diagnostic.error(
                DiagnosticCode.INVALID_VALUE,
                at(kind),
                "invalid scd type '" + text + "'",
                "use scd1 or scd2"));
        type = 2;
      }
    }
    Expression sequenceBy = null;
    List<Expression> tieBreaker = new ArrayList<>();
    List<Named> track = new ArrayList<>();
    DeleteMode deletes = DeleteMode.CLOSE;
    String validFrom = ScdSpec.DEFAULT_VALID_FROM;
    String validTo = ScdSpec.DEFAULT_VALID_TO;
    String currentFlag = ScdSpec.DEFAULT_CURRENT_FLAG;
    String deletedFlag = ScdSpec.DEFAULT_DELETED_FLAG;
    Optional<String> endOfTime = Optional.empty();
    Set<String> seen = new HashSet<>();
    for (ConformParser.ScdOptionContext option : ctx.scdOption()) {
      if (option instanceof ConformParser.SequenceByOptionContext o
          && once(seen, "sequence by", o)) {
        sequenceBy = expression(o.expression());
      } else if (option instanceof ConformParser.TieBreakerOptionContext o
          && once(seen, "tie breaker", o)) {
        o.expressionList().expression().forEach(e -> tieBreaker.add(expression(e)));
      } else if (option instanceof ConformParser.TrackOptionContext o && once(seen, "track", o)) {
        track.addAll(names(o.nameList()));
      } else if (option instanceof ConformParser.DeletesOptionContext o
          && once(seen, "deletes", o)) {
        String keyword = ExprBuilder.identifier(o.identifier());
        Optional<DeleteMode> mode = DeleteMode.parse(keyword);
        if (mode.isEmpty()) {
          diagnostics.add(
              YamlDocument.invalidChoice(
                  at(o.identifier()),
                  "deletes",
                  keyword,
                  YamlSpecReader.keywords(DeleteMode.values())));
        }
        deletes = mode.orElse(DeleteMode.CLOSE);
      } else if (option instanceof ConformParser.ValidFromOptionContext o
          && once(seen, "valid from", o)) {
        validFrom = ExprBuilder.identifier(o.identifier());
      } else if (option instanceof ConformParser.ValidToOptionContext o
          && once(seen, "valid to", o)) {
        validTo = ExprBuilder.identifier(o.identifier());
      } else if (option instanceof ConformParser.CurrentFlagOptionContext o
          && once(seen, "current flag", o)) {
        currentFlag = ExprBuilder.identifier(o.identifier());
      } else if (option instanceof ConformParser.DeletedFlagOptionContext o
          && once(seen, "deleted flag", o)) {
        deletedFlag = ExprBuilder.identifier(o.identifier());
      } else if (option instanceof ConformParser.EndOfTimeOptionContext o
          && once(seen, "end of time", o)) {
        endOfTime = Optional.of(ExprBuilder.unquote(o.STRING().getText()));
      }
    }
    if (sequenceBy == null) {
      diagnostics.add(
          Diagnostic.error(
              DiagnosticCode.MISSING_KEY,
              at(ctx),
              "missing sequence by in scd",
              "add sequence by <expression>"));
      sequenceBy = YamlSpecReader.placeholder(at(ctx));
    }
    return new ScdSpec(
        type,
        sequenceBy,
        tieBreaker,
        track,
        deletes,
        validFrom,
        validTo,
        currentFlag,
        deletedFlag,
        endOfTime,
        at(ctx));
  }

  private TestSpec test(ConformParser.TestDeclarationContext ctx) {
    Named name = name(ctx.name(0));
    Named model = name(ctx.name(1));
    List<TestBatch> batches = new ArrayList<>();
    Set<String> clauses = new HashSet<>();
    TestTable expect = null;
    for (ConformParser.TestClauseContext clause : ctx.testClause()) {
      if (clause instanceof ConformParser.BatchClauseContext c) {
        Map<String, TestTable> tables = new LinkedHashMap<>();
        for (ConformParser.BatchTableContext batchTable : c.batchTable()) {
          String source =
              batchTable.tableName().children.stream()
                  .filter(child -> !child.getText().equals("."))
                  .map(child -> unquoteIdentifier(child.getText()))
                  .collect(Collectors.joining("."));
          if (tables.containsKey(source)) {
            diagnostics.add(
                Diagnostic.error(
                    DiagnosticCode.DUPLICATE_NAME,
                    at(batchTable),
                    "source '" + source + "' appears twice in one batch"));
          }
          tables.put(source, table(batchTable.table(), at(batchTable)));
        }
        batches.add(new TestBatch(tables, at(c)));
      } else if (clause instanceof ConformParser.ExpectClauseContext c) {
        if (once(clauses, "expect", c)) {
          expect = table(c.table(), at(c));
        }
      }
    }
    if (expect == null) {
      diagnostics.add(
          Diagnostic.error(
              DiagnosticCode.MISSING_KEY,
              at(ctx),
              "missing expect in test '" + name.name() + "'",
              "add expect (<column>, ...) (<value>, ...)"));
      expect = new TestTable(List.of(), List.of(), Optional.empty(), at(ctx));
    }
    return new TestSpec(name, model, batches, expect, at(ctx));
  }

  private static String unquoteIdentifier(String text) {
    if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
      return text.substring(1, text.length() - 1).replace("\"\"", "\"");
    }
    return text;
  }

  private TestTable table(ConformParser.TableContext ctx, Position position) {
    if (ctx instanceof ConformParser.FileTableContext file) {
      return new TestTable(
          List.of(),
          List.of(),
          Optional.of(ExprBuilder.unquote(file.STRING().getText())),
          position);
    }
    ConformParser.InlineTableContext inline = (ConformParser.InlineTableContext) ctx;
    List<String> columns = inline.identifier().stream().map(ExprBuilder::identifier).toList();
    List<List<String>> rows = new ArrayList<>();
    for (ConformParser.RowContext row : inline.row()) {
      List<String> cells = new ArrayList<>();
      for (ConformParser.CellContext cell : row.cell()) {
        cells.add(cell(cell));
      }
      if (cells.size() != columns.size()) {
        diagnostics.add(
            Diagnostic.error(
                DiagnosticCode.INVALID_TEST,
                at(row),
                "row has " + cells.size() + " values for " + columns.size() + " columns"));
        continue;
      }
      rows.add(cells);
    }
    return new TestTable(columns, rows, Optional.empty(), position);
  }

  private static String cell(ConformParser.CellContext ctx) {
    if (ctx.NULL() != null) {
      return null;
    }
    if (ctx.STRING() != null) {
      return ExprBuilder.unquote(ctx.STRING().getText());
    }
    return ctx.getText().toLowerCase(Locale.ROOT);
  }
}
