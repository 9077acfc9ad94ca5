package dev.conform.dsl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** A YAML mapping read key by key, reporting duplicate, unknown and missing keys. */
final class YamlMapping {
  private final YamlDocument document;
  private final MappingNode node;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

  YamlMapping(YamlDocument document, MappingNode node) {
    this.document = document;
    this.node = node;
    for (NodeTuple tuple : node.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
        document.report(
            Diagnostic.error(
                DiagnosticCode.INVALID_VALUE,
                document.position(tuple.getKeyNode()),
                "expected a plain key, found a list or mapping"));
        continue;
      }
      NodeTuple previous = entries.putIfAbsent(key.getValue(), tuple);
      if (previous != null) {
        document.report(
            Diagnostic.error(
                DiagnosticCode.DUPLICATE_NAME,
                document.position(key),
                "duplicate key '" + key.getValue() + "'",
                "first given at " + document.position(previous.getKeyNode())));
      }
    }
  }

  Position position() {
    return document.position(node);
  }

  /** Reports every key not in {@code allowed}, with a "did you mean" hint. */
  YamlMapping allowOnly(String where, List<String> allowed) {
    for (Map.Entry<String, NodeTuple> entry : entries.entrySet()) {
      String key = entry.getKey();
      if (!allowed.contains(key)) {
        Position position = document.position(entry.getValue().getKeyNode());
        String hint =
            Suggestions.didYouMean(key, allowed)
                .orElse("allowed keys are " + String.join(", ", allowed));
        document.report(
            Diagnostic.error(
                DiagnosticCode.UNKNOWN_KEY,
                position,
                "unknown key '" + key + "' in " + where,
                hint));
      }
    }
    return this;
  }

  /** The value of {@code key}; a YAML null value counts as absent. */
  Optional<Node> value(String key) {
    NodeTuple tuple = entries.get(key);
    if (tuple == null || YamlDocument.isNull(tuple.getValueNode())) {
      return Optional.empty();
    }
    return Optional.of(tuple.getValueNode());
  }

  /** The value of {@code key}, or empty and a MISSING_KEY diagnostic. */
  Optional<Node> required(String key, String where) {
    Optional<Node> value = value(key);
    if (value.isEmpty()) {
      NodeTuple tuple = entries.get(key);
      Position position = tuple == null ? position() : document.position(tuple.getKeyNode());
      document.report(
          Diagnostic.error(
              DiagnosticCode.MISSING_KEY,
              position,
              "missing key '" + key + "' in " + where,
              "add '" + key + ": ...'"));
    }
    return value;
  }

  Position keyPosition(String key) {
    NodeTuple tuple = entries.get(key);
    return tuple == null ? position() : document.position(tuple.getKeyNode());
  }

  /** All entries in order: key name with its key node and value node (possibly YAML null). */
  List<NodeTuple> entries() {
    return new ArrayList<>(entries.values());
  }

  static String key(NodeTuple tuple) {
    return ((ScalarNode) tuple.getKeyNode()).getValue();
  }
}
