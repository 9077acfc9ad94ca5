package dev.conform.dsl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Loads a project folder: {@code conform.yaml}, then every spec file under the spec paths, then
 * validates the whole. Positions name files relative to the project root.
 */
public final class ProjectLoader {
  private ProjectLoader() {}

  /** Loads and validates the project in {@code root}; never throws for problems in the specs. */
  public static LoadedProject load(Path root) {
    List<Diagnostic> diagnostics = new ArrayList<>();
    Path projectFile = root.resolve(ProjectSettings.FILE_NAME);
    if (!Files.isRegularFile(projectFile)) {
      diagnostics.add(
          Diagnostic.error(
              DiagnosticCode.MISSING_FILE,
              Position.of(ProjectSettings.FILE_NAME, 1, 1),
              "cannot find the project file " + ProjectSettings.FILE_NAME,
              "run 'conform init' to create a project here, or run conform in the project folder"));
      return new LoadedProject(Optional.empty(), diagnostics);
    }
    Optional<String> projectText = read(projectFile, ProjectSettings.FILE_NAME, diagnostics);
    if (projectText.isEmpty()) {
      return new LoadedProject(Optional.empty(), diagnostics);
    }
    ProjectSettings settings = ProjectFileReader.read(ProjectSettings.FILE_NAME, projectText.get());
    diagnostics.addAll(settings.diagnostics());

    List<SourceSpec> sources = new ArrayList<>();
    List<DimensionSpec> dimensions = new ArrayList<>();
    List<TestSpec> tests = new ArrayList<>();
    for (String file : specFiles(root, settings.specPaths(), diagnostics)) {
      read(root.resolve(file), file, diagnostics)
          .ifPresent(
              text -> {
                SpecFile spec = SpecReader.read(file, text);
                sources.addAll(spec.sources());
                dimensions.addAll(spec.dimensions());
                tests.addAll(spec.tests());
                diagnostics.addAll(spec.diagnostics());
              });
    }
    ProjectSpec project =
        new ProjectSpec(
            root,
            settings.name(),
            settings.runtime(),
            settings.target(),
            settings.connections(),
            sources,
            dimensions,
            tests,
            settings.position());
    diagnostics.addAll(Validator.validate(project));
    List<Diagnostic> sorted = diagnostics.stream().distinct().sorted(Diagnostic.ORDER).toList();
    boolean errors = sorted.stream().anyMatch(Diagnostic::isError);
    return new LoadedProject(errors ? Optional.empty() : Optional.of(project), sorted);
  }

  /** Spec files under the spec paths, relative to {@code root} with '/', sorted, no repeats. */
  private static List<String> specFiles(
      Path root, List<Named> specPaths, List<Diagnostic> diagnostics) {
    TreeMap<String, Path> files = new TreeMap<>();
    for (Named specPath : specPaths) {
      Path folder = root.resolve(specPath.name()).normalize();
      if (!Files.isDirectory(folder)) {
        diagnostics.add(
            Diagnostic.error(
                DiagnosticCode.MISSING_FILE,
                specPath.position(),
                "cannot find spec folder '" + specPath.name() + "'",
                "create it, or remove it from spec-paths"));
        continue;
      }
      collect(root, folder, files, diagnostics);
    }
    files.remove(ProjectSettings.FILE_NAME);
    return List.copyOf(files.keySet());
  }

  private static void collect(
      Path root, Path folder, TreeMap<String, Path> files, List<Diagnostic> diagnostics) {
    List<Path> children;
    try (Stream<Path> list = Files.list(folder)) {
      children = list.sorted().toList();
    } catch (IOException e) {
      diagnostics.add(
          Diagnostic.error(
              DiagnosticCode.MISSING_FILE,
              Position.of(relative(root, folder), 1, 1),
              "cannot read folder '" + relative(root, folder) + "': " + e.getMessage()));
      return;
    }
    for (Path child : children) {
      String name = child.getFileName().toString();
      if (Files.isDirectory(child)) {
        if (!name.startsWith(".") && !name.equals("target") && !name.equals("data")) {
          collect(root, child, files, diagnostics);
        }
      } else if (SpecReader.isSpecFile(name)) {
        files.put(relative(root, child), child);
      }
    }
  }

  private static String relative(Path root, Path file) {
    String relative =
        root.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize()).toString();
    return relative.replace('\\', '/');
  }

  private static Optional<String> read(Path file, String name, List<Diagnostic> diagnostics) {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      diagnostics.add(
          Diagnostic.error(
              DiagnosticCode.MISSING_FILE,
              Position.of(name, 1, 1),
              "cannot read '" + name + "': " + e.getMessage()));
      return Optional.empty();
    }
  }
}
