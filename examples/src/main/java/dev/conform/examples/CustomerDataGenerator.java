package dev.conform.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes the seed's customer change records (TxnID, FileNo, LineNo, CustomerID, EffectiveDate) for
 * the SCD Type 2 example: an initial load and batches with backdated records, same-date duplicates,
 * new customers and ordinary later changes.
 *
 * <p>The rows are generated inside an embedded DuckDB by {@code COPY (SELECT ... FROM range(n))},
 * never row by row in Java, so that 200 million rows take minutes, not hours. The same options and
 * seed give the same rows (with the same DuckDB version, whose {@code hash} the values come from).
 */
public final class CustomerDataGenerator {
  private final GeneratorOptions options;

  public CustomerDataGenerator(GeneratorOptions options) {
    this.options = options;
  }

  /** Writes {@code initial.<ext>} and {@code batch-0001.<ext>}... under {@code out/customers/}. */
  public List<GeneratedFile> generate() throws IOException, SQLException {
    Path folder = options.out().resolve("customers");
    Files.createDirectories(folder);
    CustomerEventQueries queries = new CustomerEventQueries(options);
    List<GeneratedFile> files = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement()) {
      files.add(write(statement, queries.initial(), folder, "initial", options.records()));
      for (int batch = 1; batch <= options.batches(); batch++) {
        String name = String.format(Locale.ROOT, "batch-%04d", batch);
        files.add(write(statement, queries.batch(batch), folder, name, options.batchRecords()));
      }
    }
    return files;
  }

  private GeneratedFile write(
      Statement statement, String query, Path folder, String name, long rows)
      throws IOException, SQLException {
    Path file = folder.resolve(name + "." + options.format().extension());
    Files.deleteIfExists(file);
    String copyOptions =
        switch (options.format()) {
          case PARQUET -> "FORMAT parquet, COMPRESSION snappy";
          case CSV -> "FORMAT csv, HEADER true";
        };
    long start = System.nanoTime();
    statement.execute(
        "COPY ("
            + query
            + ") TO '"
            + file.toString().replace("'", "''")
            + "' ("
            + copyOptions
            + ")");
    return new GeneratedFile(file, rows, (System.nanoTime() - start) / 1e9);
  }

  /** Runs the generator and prints what it wrote; exits with 2 on bad arguments. */
  public static void main(String[] args) throws Exception {
    GeneratorOptions options;
    try {
      options = GeneratorOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(GeneratorOptions.USAGE);
      System.exit(2);
      return;
    }
    long start = System.nanoTime();
    List<GeneratedFile> files = new CustomerDataGenerator(options).generate();
    long rows = 0;
    for (GeneratedFile file : files) {
      rows += file.rows();
      System.out.printf(
          Locale.ROOT,
          "%-60s %,14d rows %,14d bytes %8.2f s%n",
          file.path(),
          file.rows(),
          Files.size(file.path()),
          file.seconds());
    }
    System.out.printf(
        Locale.ROOT,
        "wrote %d files, %,d rows over %,d customers (seed %d) in %.2f s%n",
        files.size(),
        rows,
        options.customers(),
        options.seed(),
        (System.nanoTime() - start) / 1e9);
  }
}
