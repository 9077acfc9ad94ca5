package dev.conform.dsl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/** Reads the project file, {@code conform.yaml}. */
public final class ProjectFileReader {
  static final List<String> PROJECT_KEYS =
      List.of("project", "runtime", "target", "spec-paths", "connections");

  private ProjectFileReader() {}

  /** Reads {@code text}, the content of the project file named {@code file} in positions. */
  public static ProjectSettings read(String file, String text) {
    YamlDocument document = new YamlDocument(file);
    Position start = Position.of(file, 1, 1);
    Optional<YamlMapping> root =
        document.compose(text).flatMap(node -> document.mapping(node, "the project file"));
    if (root.isEmpty()) {
      if (document.diagnostics().isEmpty()) {
        document.report(
            Diagnostic.error(
                DiagnosticCode.MISSING_KEY,
                start,
                "missing key 'project' in the project file",
                "add 'project: <name>'"));
      }
      return new ProjectSettings(
          "",
          Optional.empty(),
          new Named(ProjectSettings.DEFAULT_TARGET, Position.NONE),
          List.of(),
          List.of(),
          start,
          document.diagnostics());
    }
    YamlMapping map = root.get().allowOnly("the project file", PROJECT_KEYS);
    String name =
        map.required("project", "the project file")
            .flatMap(n -> document.text(n, "project"))
            .orElse("");
    Optional<String> runtime = map.value("runtime").flatMap(n -> document.text(n, "runtime"));
    Named target =
        map.value("target")
            .flatMap(n -> document.named(n, "target"))
            .orElse(new Named(ProjectSettings.DEFAULT_TARGET, Position.NONE));
    List<Named> specPaths = new ArrayList<>();
    map.value("spec-paths")
        .ifPresent(
            n ->
                document
                    .oneOrMany(n, "spec-paths")
                    .forEach(p -> document.named(p, "spec path").ifPresent(specPaths::add)));
    if (specPaths.isEmpty()) {
      specPaths.add(new Named(".", Position.NONE));
    }
    List<ConnectionSpec> connections = new ArrayList<>();
    map.value("connections")
        .flatMap(n -> document.mapping(n, "connections"))
        .ifPresent(
            connectionMap -> {
              for (NodeTuple tuple : connectionMap.entries()) {
                connection(document, tuple).ifPresent(connections::add);
              }
            });
    boolean hasTarget = connections.stream().anyMatch(c -> c.name().equals(target.name()));
    if (!hasTarget && target.name().equals(ProjectSettings.DEFAULT_TARGET)) {
      connections.add(ProjectSettings.defaultWarehouse());
    }
    return new ProjectSettings(
        name, runtime, target, connections, specPaths, map.position(), document.diagnostics());
  }

  private static Optional<ConnectionSpec> connection(YamlDocument document, NodeTuple tuple) {
    String name = YamlMapping.key(tuple);
    Position position = document.position(tuple.getKeyNode());
    Optional<YamlMapping> found =
        document.mapping(tuple.getValueNode(), "connection '" + name + "'");
    if (found.isEmpty()) {
      return Optional.empty();
    }
    YamlMapping map = found.get();
    String where = "connection '" + name + "'";
    Optional<String> type =
        map.required("type", where)
            .flatMap(n -> document.choice(n, "connection type", ProjectSettings.CONNECTION_TYPES));
    Optional<String> path = map.value("path").flatMap(n -> document.text(n, "path"));
    Optional<String> url = map.value("url").flatMap(n -> document.text(n, "url"));
    Map<String, String> properties = new LinkedHashMap<>();
    for (NodeTuple entry : map.entries()) {
      String key = YamlMapping.key(entry);
      if (key.equals("type") || key.equals("path") || key.equals("url")) {
        continue;
      }
      Node value = entry.getValueNode();
      if (YamlDocument.isNull(value)) {
        continue;
      }
      // A files connection has no settings, and a spark one only spark.* settings: anything else
      // there is a typo that would silently change nothing.
      boolean setting =
          type.map(t -> t.equals("spark") ? key.startsWith("spark.") : !t.equals("files"))
              .orElse(true);
      if (!setting) {
        document.report(
            Diagnostic.error(
                DiagnosticCode.UNKNOWN_KEY,
                document.position(entry.getKeyNode()),
                "unknown key '" + key + "' in " + where,
                Suggestions.closest(key, List.of("type", "path", "url"))
                    .map(s -> "did you mean '" + s + "'?")
                    .orElse(
                        type.get().equals("spark")
                            ? "a spark connection takes type, path or url, and spark.* settings"
                            : "a files connection takes type and path")));
        continue;
      }
      document.text(value, key).ifPresent(text -> properties.put(key, text));
    }
    return type.map(t -> new ConnectionSpec(name, t, path, url, properties, position));
  }
}
