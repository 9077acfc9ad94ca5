package dev.conform.cdc;

import dev.conform.dsl.SourceSpec;
import dev.conform.spi.Column;
import dev.conform.spi.DuckDbTypeNames;
import dev.conform.spi.FileOptions;
import dev.conform.spi.RuntimeFailure;
import dev.conform.spi.SourceData;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

/**
 * The files of a source not yet read, each one full snapshot, in the order given (by name). DuckDB
 * reads them where they are: CSV with the source's options and every value as text, Parquet with
 * its values cast to text (timestamps with a zone in UTC), JSON with its keys read as text. The
 * columns are the declared ones, which each file must have, or else the first file's.
 */
final class FileSnapshots implements SnapshotSource {
  private final SourceSpec source;
  private final List<Path> files;
  private final Set<Path> reloaded;
  private final SourceData.Format format;

  /** {@code reloaded}: those of {@code files} that an earlier run loaded and have changed since. */
  FileSnapshots(SourceSpec source, List<Path> files, Set<Path> reloaded) {
    this.source = source;
    this.files = List.copyOf(files);
    this.reloaded =
        reloaded.stream().map(p -> p.toAbsolutePath().normalize()).collect(Collectors.toSet());
    this.format = source.format().orElseThrow();
  }

  @Override
  public boolean dated() {
    return true;
  }

  @Override
  public List<Column> describe() {
    List<Column> declared =
        source.columns().stream().map(c -> Column.of(c.name(), c.type())).toList();
    if (files.isEmpty()) {
      if (declared.isEmpty()) {
        throw new ExtractFailure(
            "Cannot read "
                + describeSource()
                + ": no file matches its path '"
                + source.path().orElseThrow()
                + "' and it declares no columns; add its files, or declare its columns",
            null);
      }
      return declared;
    }
    FileSnapshot first = new FileSnapshot(files.get(0));
    SnapshotStore.requireDuckDb(describeSource());
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
      List<FileColumn> found = first.fileColumns(duck, true);
      if (!declared.isEmpty()) {
        for (Column column : declared) {
          first.find(found, column.name());
        }
        return declared;
      }
      return found.stream()
          .map(c -> Column.of(c.name(), DuckDbTypeNames.typeOf(c.type())))
          .toList();
    } catch (SQLException e) {
      throw first.failure(e);
    }
  }

  @Override
  public String origin() {
    String glob = source.path().orElseThrow();
    String origin = "path " + glob + " of connection " + source.connection().name();
    if (files.isEmpty() || glob.contains("**")) {
      return origin;
    }
    // The folder the glob is relative to: as many levels above a file as the glob has parts.
    Path folder = files.get(0).toAbsolutePath();
    for (int i = 0; i < Path.of(glob).getNameCount() && folder != null; i++) {
      folder = folder.getParent();
    }
    return folder == null ? origin : origin + " in " + folder;
  }

  @Override
  public List<Snapshot> snapshots() {
    return files.stream().<Snapshot>map(FileSnapshot::new).toList();
  }

  @Override
  public String from(List<Snapshot> snapshots) {
    if (snapshots.isEmpty()) {
      return "no new file of " + source.path().orElseThrow();
    }
    String firstName = files.get(0).getFileName().toString();
    if (files.size() == 1) {
      return "file " + firstName;
    }
    return files.size()
        + " files "
        + firstName
        + " to "
        + files.get(files.size() - 1).getFileName();
  }

  @Override
  public String describeSource() {
    return "source '" + source.name().name() + "'";
  }

  /** A column of a file as DuckDB reads it: its name and DuckDB's type. */
  private record FileColumn(String name, String type) {}

  private final class FileSnapshot implements Snapshot {
    private final Path file;

    FileSnapshot(Path file) {
      this.file = file.toAbsolutePath();
    }

    @Override
    public String describe() {
      return "source '" + source.name().name() + "' (file '" + file + "')";
    }

    @Override
    public LocalDateTime at() {
      return SnapshotTime.ofFile(file);
    }

    @Override
    public boolean reloaded() {
      return reloaded.contains(file.normalize());
    }

    @Override
    public void stage(SnapshotStore store, List<Column> columns, LongConsumer progress)
        throws SQLException {
      try {
        List<FileColumn> found = fileColumns(store.connection(), false);
        List<String> select = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
          FileColumn column = find(found, columns.get(i).name());
          select.add(text(column) + " AS c" + (i + 1));
        }
        store.execute(
            "CREATE OR REPLACE TABLE "
                + SnapshotStore.STAGED
                + " AS SELECT "
                + String.join(", ", select)
                + " FROM "
                + scan(false, found));
      } catch (SQLException e) {
        throw failure(e);
      }
    }

    /**
     * The file's columns: with their detected types ({@code detect}), or as the load reads them
     * (CSV all text).
     */
    List<FileColumn> fileColumns(Connection duck, boolean detect) throws SQLException {
      List<FileColumn> columns = new ArrayList<>();
      try (Statement statement = duck.createStatement();
          ResultSet result =
              statement.executeQuery(
                  "DESCRIBE SELECT * FROM "
                      + scan(format == SourceData.Format.CSV && detect, null))) {
        while (result.next()) {
          columns.add(
              new FileColumn(result.getString("column_name"), result.getString("column_type")));
        }
      }
      return columns;
    }

    /** The file's column that the source's column {@code name} reads: exactly, else by case. */
    FileColumn find(List<FileColumn> found, String name) {
      return found.stream()
          .filter(c -> c.name().equals(name))
          .findFirst()
          .or(() -> found.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst())
          .orElseThrow(
              () ->
                  new ExtractFailure(
                      "Cannot read "
                          + describe()
                          + ": it has no column '"
                          + name
                          + "'; its columns are "
                          + found.stream().map(FileColumn::name).collect(Collectors.joining(", "))
                          + "; every file of a snapshot_diff source must have the source's"
                          + " columns",
                      null));
    }

    /** The column's value as the loaders' text. */
    private String text(FileColumn column) {
      String name = SnapshotStore.identifier(column.name());
      if (format != SourceData.Format.PARQUET) {
        return name;
      }
      String type = column.type().toUpperCase(Locale.ROOT);
      if (type.startsWith("TIMESTAMP WITH TIME ZONE") || type.equals("TIMESTAMPTZ")) {
        return "CAST(timezone('UTC', " + name + ") AS VARCHAR)";
      }
      return "CAST(" + name + " AS VARCHAR)";
    }

    /**
     * The table function that reads the file: {@code detect} keeps a CSV's detected types (else all
     * text); {@code jsonKeys}, when given, are the JSON keys to read as text.
     */
    private String scan(boolean detect, List<FileColumn> jsonKeys) {
      FileOptions options = options();
      String path = SnapshotStore.literal(file.toString());
      return switch (format) {
        case PARQUET -> "read_parquet(" + path + ")";
        case JSON ->
            "read_json("
                + path
                + ", format="
                + SnapshotStore.literal(options.jsonFormat())
                + (jsonKeys == null
                    ? ""
                    : ", columns={"
                        + jsonKeys.stream()
                            .map(c -> SnapshotStore.literal(c.name()) + ": 'VARCHAR'")
                            .collect(Collectors.joining(", "))
                        + "}")
                + ")";
        case CSV -> csvScan(options, path, detect);
      };
    }

    private String csvScan(FileOptions options, String path, boolean detect) {
      List<String> arguments = new ArrayList<>();
      arguments.add(path);
      if (!detect) {
        arguments.add("all_varchar=true");
      }
      arguments.add("header=" + options.header());
      if (!options.header() && !source.columns().isEmpty()) {
        arguments.add(
            "names=["
                + source.columns().stream()
                    .map(c -> SnapshotStore.literal(c.name()))
                    .collect(Collectors.joining(", "))
                + "]");
      }
      options.get("delimiter").ifPresent(v -> arguments.add("delim=" + SnapshotStore.literal(v)));
      options.get("quote").ifPresent(v -> arguments.add("quote=" + SnapshotStore.literal(v)));
      options.get("escape").ifPresent(v -> arguments.add("escape=" + SnapshotStore.literal(v)));
      options.get("null").ifPresent(v -> arguments.add("nullstr=" + SnapshotStore.literal(v)));
      options.get("comment").ifPresent(v -> arguments.add("comment=" + SnapshotStore.literal(v)));
      options.get("encoding").ifPresent(v -> arguments.add("encoding=" + SnapshotStore.literal(v)));
      options.get("skip").ifPresent(v -> arguments.add("skip=" + options.skip()));
      return "read_csv(" + String.join(", ", arguments) + ")";
    }

    private FileOptions options() {
      try {
        return FileOptions.check(
            new SourceData.Files(format, List.of(file.toString()), source.options()),
            "Cannot read " + describe());
      } catch (RuntimeFailure e) {
        throw new ExtractFailure(e.getMessage() + "; nothing was loaded", e);
      }
    }

    ExtractFailure failure(SQLException e) {
      return new ExtractFailure(
          "Cannot read "
              + describe()
              + ": "
              + SnapshotStore.message(e)
              + "; nothing was loaded and its snapshot did not move",
          e);
    }
  }
}
