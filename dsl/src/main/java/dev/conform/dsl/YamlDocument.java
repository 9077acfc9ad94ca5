package dev.conform.dsl;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One YAML file being read into the model: composes the node tree (keeping every node's mark) and
 * offers typed reads that report problems as diagnostics instead of throwing.
 */
final class YamlDocument {
  private final String file;
  private final List<Diagnostic> diagnostics = new ArrayList<>();
  private List<String> lines = List.of();

  YamlDocument(String file) {
    this.file = file;
  }

  String file() {
    return file;
  }

  List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  void report(Diagnostic diagnostic) {
    diagnostics.add(diagnostic);
  }

  /** The root node, or empty for an empty file or a YAML syntax error (reported). */
  Optional<Node> compose(String text) {
    lines = text.lines().toList();
    try {
      return Optional.ofNullable(new Yaml(new LoaderOptions()).compose(new StringReader(text)));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      Position position =
          mark == null
              ? Position.of(file, 1, 1)
              : Position.fromZeroBased(file, mark.getLine(), mark.getColumn());
      String problem = e.getProblem() != null ? e.getProblem() : "invalid YAML";
      Mark contextMark = e.getContextMark();
      String context =
          e.getContext() == null || contextMark == null
              ? null
              : e.getContext().replaceFirst("^while parsing", "in")
                  + " that starts at line "
                  + (contextMark.getLine() + 1)
                  + ", column "
                  + (contextMark.getColumn() + 1);
      report(
          context == null
              ? Diagnostic.error(
                  DiagnosticCode.YAML_SYNTAX, position, "cannot parse YAML: " + problem)
              : Diagnostic.error(
                  DiagnosticCode.YAML_SYNTAX, position, "cannot parse YAML: " + problem, context));
      return Optional.empty();
    } catch (YAMLException e) {
      report(
          Diagnostic.error(
              DiagnosticCode.YAML_SYNTAX,
              Position.of(file, 1, 1),
              "cannot parse YAML: " + e.getMessage()));
      return Optional.empty();
    }
  }

  /** Where a node's text starts; for a quoted scalar, after the opening quote. */
  Position position(Node node) {
    Mark mark = node.getStartMark();
    Position position = Position.fromZeroBased(file, mark.getLine(), mark.getColumn());
    if (node instanceof ScalarNode scalar && isQuoted(scalar)) {
      return position.shift(1);
    }
    if (node instanceof ScalarNode scalar && isBlock(scalar)) {
      // A block scalar's text starts on the first non-blank line after its '|' or '>'.
      for (int line = mark.getLine() + 1; line < lines.size(); line++) {
        String content = lines.get(line);
        if (!content.isBlank()) {
          int indent = content.length() - content.stripLeading().length();
          return Position.fromZeroBased(file, line, indent);
        }
      }
    }
    return position;
  }

  static boolean isQuoted(ScalarNode scalar) {
    return scalar.getScalarStyle() == DumperOptions.ScalarStyle.SINGLE_QUOTED
        || scalar.getScalarStyle() == DumperOptions.ScalarStyle.DOUBLE_QUOTED;
  }

  static boolean isBlock(ScalarNode scalar) {
    return scalar.getScalarStyle() == DumperOptions.ScalarStyle.LITERAL
        || scalar.getScalarStyle() == DumperOptions.ScalarStyle.FOLDED;
  }

  static boolean isNull(Node node) {
    return node instanceof ScalarNode scalar
        && scalar.isPlain()
        && scalar.getTag().equals(Tag.NULL);
  }

  /** A mapping, or empty (reported) when the node is something else. */
  Optional<YamlMapping> mapping(Node node, String what) {
    if (node instanceof MappingNode mapping) {
      return Optional.of(new YamlMapping(this, mapping));
    }
    report(
        Diagnostic.error(
            DiagnosticCode.INVALID_VALUE,
            position(node),
            "expected a mapping (key: value) for " + what + ", found " + describe(node)));
    return Optional.empty();
  }

  /** The items of a sequence, or empty (reported) when the node is something else. */
  List<Node> sequence(Node node, String what) {
    if (node instanceof SequenceNode sequence) {
      return sequence.getValue();
    }
    if (isNull(node)) {
      return List.of();
    }
    report(
        Diagnostic.error(
            DiagnosticCode.INVALID_VALUE,
            position(node),
            "expected a list for " + what + ", found " + describe(node)));
    return List.of();
  }

  /** A sequence's items, or the node itself when it is a single scalar. */
  List<Node> oneOrMany(Node node, String what) {
    if (node instanceof ScalarNode && !isNull(node)) {
      return List.of(node);
    }
    return sequence(node, what);
  }

  /** The scalar's original text; empty (reported) for YAML null, lists or mappings. */
  Optional<String> text(Node node, String what) {
    if (node instanceof ScalarNode scalar && !isNull(node)) {
      return Optional.of(scalar.getValue());
    }
    report(
        Diagnostic.error(
            DiagnosticCode.INVALID_VALUE,
            position(node),
            "expected a text value for " + what + ", found " + describe(node)));
    return Optional.empty();
  }

  /** A cell of a test table: the scalar's text, {@code null} for YAML null. */
  Optional<String> cell(Node node, String what) {
    if (isNull(node)) {
      return Optional.empty();
    }
    return text(node, what);
  }

  Optional<Named> named(Node node, String what) {
    return text(node, what).map(text -> new Named(text, position(node)));
  }

  /** The node's text parsed as an expression; empty (reported) when it does not parse. */
  Optional<Expression> expression(Node node, String what) {
    Optional<String> text = text(node, what);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Position start = position(node);
    ParsedExpression parsed = ExpressionParser.parse(text.get(), start);
    diagnostics.addAll(parsed.diagnostics());
    return parsed.expr().map(expr -> new Expression(text.get(), expr, start));
  }

  /** A keyword from {@code allowed}; empty (reported as INVALID_VALUE) otherwise. */
  Optional<String> choice(Node node, String what, List<String> allowed) {
    Optional<String> text = text(node, what);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String value = text.get().trim();
    for (String candidate : allowed) {
      if (candidate.equalsIgnoreCase(value)) {
        return Optional.of(candidate);
      }
    }
    report(invalidChoice(position(node), what, value, allowed));
    return Optional.empty();
  }

  static Diagnostic invalidChoice(
      Position position, String what, String value, List<String> allowed) {
    return Diagnostic.error(
        DiagnosticCode.INVALID_VALUE,
        position,
        "invalid " + what + " '" + value + "'",
        "use one of " + String.join(", ", allowed));
  }

  private static String describe(Node node) {
    if (isNull(node)) {
      return "nothing";
    }
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    return "'" + ((ScalarNode) node).getValue() + "'";
  }
}
