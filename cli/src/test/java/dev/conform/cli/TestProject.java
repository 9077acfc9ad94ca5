package dev.conform.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test projects written in a temp folder: a {@code conform.yaml} with an embedded DuckDB warehouse
 * as target and one source connection, a {@code models} folder, and their spec files.
 */
final class TestProject {
  private TestProject() {}

  /**
   * Project {@code crm} in {@code folder/crm} whose connection {@code crm} is the database at
   * {@code url} of {@code type} (postgresql, mariadb).
   */
  static Path database(Path folder, String type, String url) throws Exception {
    return create(folder.resolve("crm"), "crm", "{ type: " + type + ", url: \"" + url + "\" }");
  }

  /**
   * Project {@code name} in {@code folder/name} whose connection {@code landing} is {@code path}.
   */
  static Path files(Path folder, String name, String path) throws Exception {
    return create(folder.resolve(name), "landing", "{ type: files, path: " + path + " }");
  }

  /** Writes spec {@code models/file} of {@code project} and returns its path. */
  static Path model(Path project, String file, String yaml) throws Exception {
    Path spec = project.resolve("models").resolve(file);
    Files.writeString(spec, yaml);
    return spec;
  }

  /**
   * Points the project's connection at {@code url} to port 1 of the same host, where nothing
   * listens; returns the {@code conform.yaml} as it was, to write back.
   */
  static String unreachable(Path project, String url) throws Exception {
    Path yaml = project.resolve("conform.yaml");
    String good = Files.readString(yaml);
    int port = Integer.parseInt(url.replaceAll(".*://[^:/]+:(\\d+)/.*", "$1"));
    Files.writeString(yaml, good.replace(":" + port + "/", ":1/"));
    return good;
  }

  private static Path create(Path project, String connection, String settings) throws Exception {
    Files.createDirectories(project.resolve("models"));
    Files.writeString(
        project.resolve("conform.yaml"),
        "project: "
            + project.getFileName()
            + "\ntarget: warehouse\nspec-paths: [models]\nconnections:\n"
            + "  warehouse: { type: duckdb, path: target/warehouse.duckdb }\n"
            + "  "
            + connection
            + ": "
            + settings
            + "\n");
    return project;
  }
}
