package dev.conform.dsl;

import dev.conform.dsl.expr.Expr;
import dev.conform.spi.DataType;
import dev.conform.spi.SourceData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Reads a YAML spec file ({@code sources}, {@code dimensions}, {@code tests}) into the model. */
final class YamlSpecReader {
  static final List<String> FILE_KEYS = List.of("sources", "dimensions", "tests");
  static final List<String> SOURCE_KEYS =
      List.of(
          "name",
          "connection",
          "path",
          "table",
          "format",
          "options",
          "key",
          "columns",
          "cdc",
          "delete_when");
  static final String CDC_STRATEGY = "strategy";
  static final List<String> DIMENSION_KEYS =
      List.of(
          "name",
          "from",
          "business_key",
          "surrogate_key",
          "scd",
          "columns",
          "where",
          "checks",
          "on_check_failure");
  static final List<String> SCD_KEYS =
      List.of(
          "type",
          "sequence_by",
          "tie_breaker",
          "track",
          "deletes",
          "valid_from",
          "valid_to",
          "current_flag",
          "deleted_flag",
          "end_of_time");
  static final List<String> TEST_KEYS = List.of("name", "model", "batches", "expect");
  static final List<String> TABLE_KEYS = List.of("columns", "rows", "file");

  private final YamlDocument document;

  private YamlSpecReader(String file) {
    this.document = new YamlDocument(file);
  }

  static SpecFile read(String file, String text) {
    return new YamlSpecReader(file).read(text);
  }

  private SpecFile read(String text) {
    List<SourceSpec> sources = new ArrayList<>();
    List<DimensionSpec> dimensions = new ArrayList<>();
    List<TestSpec> tests = new ArrayList<>();
    document
        .compose(text)
        .flatMap(root -> document.mapping(root, "a spec file"))
        .ifPresent(
            root -> {
              root.allowOnly("a spec file", FILE_KEYS);
              root.value("sources")
                  .ifPresent(
                      n ->
                          document
                              .sequence(n, "sources")
                              .forEach(s -> source(s).ifPresent(sources::add)));
              root.value("dimensions")
                  .ifPresent(
                      n ->
                          document
                              .sequence(n, "dimensions")
                              .forEach(d -> dimension(d).ifPresent(dimensions::add)));
              root.value("tests")
                  .ifPresent(
                      n ->
                          document
                              .sequence(n, "tests")
                              .forEach(t -> test(t).ifPresent(tests::add)));
            });
    return new SpecFile(document.file(), sources, dimensions, tests, document.diagnostics());
  }

  private Optional<SourceSpec> source(Node node) {
    Optional<YamlMapping> found = document.mapping(node, "a source");
    if (found.isEmpty()) {
      return Optional.empty();
    }
    YamlMapping map = found.get().allowOnly("source", SOURCE_KEYS);
    Optional<Named> name = map.required("name", "source").flatMap(n -> document.named(n, "name"));
    Optional<Named> connection =
        map.required("connection", "source").flatMap(n -> document.named(n, "connection"));
    // Neither or both of path and table is for the Validator to report, with the whole project.
    Optional<String> path = map.value("path").flatMap(n -> document.text(n, "path"));
    Optional<Named> table = map.value("table").flatMap(n -> document.named(n, "table"));
    Optional<SourceData.Format> format;
    if (map.value("format").isPresent()) {
      format =
          map.value("format")
              .flatMap(n -> document.choice(n, "format", SourceFormats.KEYWORDS))
              .flatMap(SourceFormats::parse);
    } else {
      format = path.flatMap(SourceFormats::fromPath);
    }
    Map<String, String> options = new LinkedHashMap<>();
    map.value("options")
        .flatMap(n -> document.mapping(n, "options"))
        .ifPresent(
            optionMap -> {
              for (NodeTuple tuple : optionMap.entries()) {
                document
                    .cell(tuple.getValueNode(), "option '" + YamlMapping.key(tuple) + "'")
                    .ifPresent(value -> options.put(YamlMapping.key(tuple), value));
              }
            });
    List<Named> key = new ArrayList<>();
    map.value("key")
        .ifPresent(
            n -> {
              List<Node> keys = document.oneOrMany(n, "key");
              keys.forEach(k -> document.named(k, "key").ifPresent(key::add));
              if (keys.isEmpty() && n instanceof SequenceNode) {
                document.report(
                    Diagnostic.error(
                        DiagnosticCode.MISSING_KEY,
                        document.position(n),
                        "key lists no column",
                        "name the columns that identify a row, e.g. key: [customer_id],"
                            + " or remove key"));
              }
            });
    List<ColumnSpec> columns = new ArrayList<>();
    map.value("columns")
        .flatMap(n -> document.mapping(n, "columns"))
        .ifPresent(
            columnMap -> {
              for (NodeTuple tuple : columnMap.entries()) {
                column(tuple).ifPresent(columns::add);
              }
            });
    Optional<CdcSpec> cdc = map.value("cdc").flatMap(n -> cdc(n, map.keyPosition("cdc")));
    Optional<Expression> deleteWhen =
        map.value("delete_when").flatMap(n -> document.expression(n, "delete_when"));
    if (name.isEmpty() || connection.isEmpty()) {
      return Optional.empty();
    }
    if (table.isPresent() && path.isEmpty()) {
      for (String filesKey : List.of("format", "options")) {
        if (map.value(filesKey).isPresent()) {
          document.report(filesOnly(filesKey, name.get(), table.get(), map.keyPosition(filesKey)));
        }
      }
    }
    return Optional.of(
        new SourceSpec(
            name.get(),
            connection.get(),
            path,
            table,
            format,
            options,
            columns,
            key,
            cdc,
            deleteWhen,
            map.position()));
  }

  /** A file-only setting ({@code format}, {@code options}) given on a source of a table. */
  static Diagnostic filesOnly(String setting, Named source, Named table, Position position) {
    return Diagnostic.error(
        DiagnosticCode.INVALID_VALUE,
        position,
        "cannot use "
            + setting
            + " on source '"
            + source.name()
            + "', which reads table '"
            + table.name()
            + "': "
            + setting
            + (setting.endsWith("s") ? " apply" : " applies")
            + " to files only",
        "remove " + setting);
  }

  /** {@code cdc: { strategy: ..., <setting>: <value>, ... }}, at the {@code cdc} key. */
  private Optional<CdcSpec> cdc(Node node, Position position) {
    Optional<YamlMapping> found = document.mapping(node, "cdc");
    if (found.isEmpty()) {
      return Optional.empty();
    }
    YamlMapping map = found.get();
    Optional<Named> strategy =
        map.required(CDC_STRATEGY, "cdc").flatMap(n -> document.named(n, CDC_STRATEGY));
    Map<String, CdcSpec.Setting> settings = new LinkedHashMap<>();
    for (NodeTuple tuple : map.entries()) {
      String key = YamlMapping.key(tuple).toLowerCase(Locale.ROOT);
      if (!key.equals(CDC_STRATEGY)) {
        Node value = tuple.getValueNode();
        Position keyPosition = document.position(tuple.getKeyNode());
        document
            .text(value, "cdc setting '" + key + "'")
            .ifPresent(
                text ->
                    settings.put(
                        key, new CdcSpec.Setting(text, keyPosition, document.position(value))));
      }
    }
    return strategy.map(
        s ->
            new CdcSpec(
                new Named(s.name().toLowerCase(Locale.ROOT), s.position()), settings, position));
  }

  private Optional<ColumnSpec> column(NodeTuple tuple) {
    String name = YamlMapping.key(tuple);
    Position position = document.position(tuple.getKeyNode());
    Node typeNode = tuple.getValueNode();
    Optional<String> typeText = document.text(typeNode, "the type of column '" + name + "'");
    if (typeText.isEmpty()) {
      return Optional.empty();
    }
    Optional<DataType> type = DataType.parse(typeText.get());
    if (type.isEmpty()) {
      document.report(ExprBuilder.unknownType(typeText.get(), document.position(typeNode)));
      return Optional.empty();
    }
    return Optional.of(new ColumnSpec(name, type.get(), position));
  }

  private Optional<DimensionSpec> dimension(Node node) {
    Optional<YamlMapping> found = document.mapping(node, "a dimension");
    if (found.isEmpty()) {
      return Optional.empty();
    }
    YamlMapping map = found.get().allowOnly("dimension", DIMENSION_KEYS);
    Optional<Named> name =
        map.required("name", "dimension").flatMap(n -> document.named(n, "name"));
    Optional<Named> from =
        map.required("from", "dimension").flatMap(n -> document.named(n, "from"));
    List<Named> businessKey = new ArrayList<>();
    map.required("business_key", "dimension")
        .ifPresent(
            n -> {
              List<Node> keys = document.oneOrMany(n, "business_key");
              keys.forEach(k -> document.named(k, "business_key").ifPresent(businessKey::add));
              if (keys.isEmpty() && n instanceof SequenceNode) {
                document.report(
                    Diagnostic.error(
                        DiagnosticCode.MISSING_KEY,
                        document.position(n),
                        "business_key lists no column",
                        "name the key's columns, e.g. business_key: [customer_id]"));
              }
            });
    Optional<Named> surrogateKey =
        map.value("surrogate_key").flatMap(n -> document.named(n, "surrogate_key"));
    Optional<ScdSpec> scd = map.required("scd", "dimension").flatMap(this::scd);
    List<DerivedColumn> columns = new ArrayList<>();
    map.value("columns")
        .flatMap(n -> document.mapping(n, "columns"))
        .ifPresent(
            columnMap -> {
              for (NodeTuple tuple : columnMap.entries()) {
                derivedColumn(tuple).ifPresent(columns::add);
              }
            });
    Optional<Expression> where = map.value("where").flatMap(n -> document.expression(n, "where"));
    List<Expression> checks = new ArrayList<>();
    map.value("checks")
        .ifPresent(
            n ->
                document
                    .oneOrMany(n, "checks")
                    .forEach(c -> document.expression(c, "check").ifPresent(checks::add)));
    CheckFailureMode onCheckFailure =
        map.value("on_check_failure")
            .flatMap(
                n -> document.choice(n, "on_check_failure", keywords(CheckFailureMode.values())))
            .flatMap(CheckFailureMode::parse)
            .orElse(CheckFailureMode.QUARANTINE);
    if (name.isEmpty() || from.isEmpty() || scd.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new DimensionSpec(
            name.get(),
            from.get(),
            businessKey,
            surrogateKey,
            scd.get(),
            columns,
            where,
            checks,
            onCheckFailure,
            map.position()));
  }

  private Optional<DerivedColumn> derivedColumn(NodeTuple tuple) {
    String name = YamlMapping.key(tuple);
    Named named = new Named(name, document.position(tuple.getKeyNode()));
    if (YamlDocument.isNull(tuple.getValueNode())) {
      // `name:` with no value keeps the source column of that name.
      return Optional.of(
          new DerivedColumn(
              named,
              new Expression(name, new Expr.ColumnRef(name, named.position()), named.position())));
    }
    return document
        .expression(tuple.getValueNode(), "column '" + name + "'")
        .map(expression -> new DerivedColumn(named, expression));
  }

  private Optional<ScdSpec> scd(Node node) {
    Optional<YamlMapping> found = document.mapping(node, "scd");
    if (found.isEmpty()) {
      return Optional.empty();
    }
    YamlMapping map = found.get().allowOnly("scd", SCD_KEYS);
    // Problems are reported; placeholders keep the dimension so that its other parts are checked.
    int type =
        map.required("type", "scd")
            .flatMap(n -> document.text(n, "scd type"))
            .map(text -> scdType(text, map))
            .orElse(2);
    Expression sequenceBy =
        map.required("sequence_by", "scd")
            .flatMap(n -> document.expression(n, "sequence_by"))
            .orElse(placeholder(map.position()));
    List<Expression> tieBreaker = new ArrayList<>();
    map.value("tie_breaker")
        .ifPresent(
            n ->
                document
                    .oneOrMany(n, "tie_breaker")
                    .forEach(
                        e -> document.expression(e, "tie_breaker").ifPresent(tieBreaker::add)));
    List<Named> track = new ArrayList<>();
    map.value("track")
        .ifPresent(
            n ->
                document
                    .oneOrMany(n, "track")
                    .forEach(t -> document.named(t, "track").ifPresent(track::add)));
    DeleteMode deletes =
        map.value("deletes")
            .flatMap(n -> document.choice(n, "deletes", keywords(DeleteMode.values())))
            .flatMap(DeleteMode::parse)
            .orElse(DeleteMode.CLOSE);
    return Optional.of(
        new ScdSpec(
            type,
            sequenceBy,
            tieBreaker,
            track,
            deletes,
            text(map, "valid_from").orElse(ScdSpec.DEFAULT_VALID_FROM),
            text(map, "valid_to").orElse(ScdSpec.DEFAULT_VALID_TO),
            text(map, "current_flag").orElse(ScdSpec.DEFAULT_CURRENT_FLAG),
            text(map, "deleted_flag").orElse(ScdSpec.DEFAULT_DELETED_FLAG),
            text(map, "end_of_time"),
            map.position()));
  }

  private int scdType(String text, YamlMapping map) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      document.report(
          Diagnostic.error(
              DiagnosticCode.INVALID_VALUE,
              map.value("type").map(document::position).orElse(map.position()),
              "invalid scd type '" + text + "'",
              "use 1 or 2"));
      return 2;
    }
  }

  /** Stands in for a required expression that is missing or broken (already reported). */
  static Expression placeholder(Position position) {
    return new Expression("null", new Expr.Literal(Expr.LiteralKind.NULL, "", position), position);
  }

  private Optional<String> text(YamlMapping map, String key) {
    return map.value(key).flatMap(n -> document.text(n, key));
  }

  private Optional<TestSpec> test(Node node) {
    Optional<YamlMapping> found = document.mapping(node, "a test");
    if (found.isEmpty()) {
      return Optional.empty();
    }
    YamlMapping map = found.get().allowOnly("test", TEST_KEYS);
    Optional<Named> name = map.required("name", "test").flatMap(n -> document.named(n, "name"));
    Optional<Named> model = map.required("model", "test").flatMap(n -> document.named(n, "model"));
    List<TestBatch> batches = new ArrayList<>();
    map.value("batches")
        .ifPresent(
            n -> {
              for (Node batchNode : document.sequence(n, "batches")) {
                document
                    .mapping(batchNode, "a batch (source name: rows)")
                    .ifPresent(
                        batch -> {
                          Map<String, TestTable> tables = new LinkedHashMap<>();
                          for (NodeTuple tuple : batch.entries()) {
                            table(tuple.getValueNode(), document.position(tuple.getKeyNode()))
                                .ifPresent(t -> tables.put(YamlMapping.key(tuple), t));
                          }
                          batches.add(new TestBatch(tables, batch.position()));
                        });
              }
            });
    Optional<TestTable> expect =
        map.required("expect", "test").flatMap(n -> table(n, map.keyPosition("expect")));
    if (name.isEmpty() || model.isEmpty() || expect.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new TestSpec(name.get(), model.get(), batches, expect.get(), map.position()));
  }

  private Optional<TestTable> table(Node node, Position position) {
    Optional<YamlMapping> found = document.mapping(node, "a test table (rows or file)");
    if (found.isEmpty()) {
      return Optional.empty();
    }
    YamlMapping map = found.get().allowOnly("test table", TABLE_KEYS);
    Optional<Node> file = map.value("file");
    Optional<Node> rows = map.value("rows");
    if (file.isPresent()) {
      if (rows.isPresent()) {
        document.report(
            Diagnostic.error(
                DiagnosticCode.INVALID_VALUE,
                map.keyPosition("rows"),
                "a test table has either rows or a file, not both"));
      }
      return document
          .text(file.get(), "file")
          .map(f -> new TestTable(List.of(), List.of(), Optional.of(f), position));
    }
    List<String> columns = new ArrayList<>();
    boolean declared = map.value("columns").isPresent();
    map.value("columns")
        .ifPresent(
            n ->
                document
                    .oneOrMany(n, "columns")
                    .forEach(c -> document.text(c, "column").ifPresent(columns::add)));
    if (rows.isEmpty() && !declared) {
      map.required("rows", "test table");
      return Optional.empty();
    }
    List<Map<String, String>> cells = new ArrayList<>();
    for (Node rowNode : rows.map(n -> document.sequence(n, "rows")).orElse(List.of())) {
      document
          .mapping(rowNode, "a row (column: value)")
          .ifPresent(
              row -> {
                Map<String, String> values = new LinkedHashMap<>();
                for (NodeTuple tuple : row.entries()) {
                  String column = YamlMapping.key(tuple);
                  if (!columns.contains(column)) {
                    if (declared) {
                      document.report(
                          Diagnostic.error(
                              DiagnosticCode.UNKNOWN_COLUMN,
                              document.position(tuple.getKeyNode()),
                              "column '" + column + "' is not in the table's columns",
                              "add it to columns: [...]"));
                      continue;
                    }
                    columns.add(column);
                  }
                  values.put(column, document.cell(tuple.getValueNode(), column).orElse(null));
                }
                cells.add(values);
              });
    }
    List<List<String>> table = new ArrayList<>();
    for (Map<String, String> row : cells) {
      List<String> values = new ArrayList<>();
      for (String column : columns) {
        values.add(row.get(column));
      }
      table.add(values);
    }
    return Optional.of(new TestTable(columns, table, Optional.empty(), position));
  }

  static List<String> keywords(Enum<?>[] values) {
    List<String> keywords = new ArrayList<>();
    for (Enum<?> value : values) {
      keywords.add(value.name().toLowerCase(Locale.ROOT));
    }
    return keywords;
  }
}
