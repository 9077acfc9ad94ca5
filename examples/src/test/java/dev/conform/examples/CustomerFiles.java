package dev.conform.examples;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Test helper: queries over generated customer files, run in an in-memory DuckDB. */
final class CustomerFiles {
  /** Row counts and a checksum of every value of a set of files. */
  record Summary(
      long rows,
      long minTxnId,
      long maxTxnId,
      long distinctTxnIds,
      long customers,
      long checksum) {}

  /** How a batch's rows relate to the files before it. */
  record Shares(long rows, long backdated, long duplicates, long newCustomers, long later) {}

  private CustomerFiles() {}

  static Summary summary(List<Path> files) throws SQLException {
    List<Long> values =
        queryLongs(
            "SELECT count(*), min(txn_id), max(txn_id), count(DISTINCT txn_id),"
                + " count(DISTINCT customer_id),"
                + " sum(hash(txn_id::BIGINT, file_no::BIGINT, line_no::BIGINT,"
                + " customer_id::BIGINT, effective_date::TIMESTAMP) % 1000000007)::BIGINT"
                + " FROM "
                + scan(files));
    return new Summary(
        values.get(0), values.get(1), values.get(2), values.get(3), values.get(4), values.get(5));
  }

  /** Classifies the rows of {@code batch} against every row of {@code earlier}. */
  static Shares shares(List<Path> earlier, Path batch) throws SQLException {
    String sql =
        """
        WITH earlier AS (SELECT customer_id, effective_date FROM %s),
        latest AS (SELECT customer_id, max(effective_date) AS latest FROM earlier
                   GROUP BY customer_id),
        dated AS (SELECT DISTINCT customer_id, effective_date FROM earlier)
        SELECT count(*),
               count(*) FILTER (WHERE d.customer_id IS NULL AND b.effective_date < l.latest),
               count(*) FILTER (WHERE d.customer_id IS NOT NULL),
               count(*) FILTER (WHERE l.customer_id IS NULL),
               count(*) FILTER (WHERE b.effective_date > l.latest)
        FROM %s b
        LEFT JOIN latest l ON l.customer_id = b.customer_id
        LEFT JOIN dated d
          ON d.customer_id = b.customer_id AND d.effective_date = b.effective_date
        """
            .formatted(scan(earlier), scan(List.of(batch)));
    List<Long> values = queryLongs(sql);
    return new Shares(values.get(0), values.get(1), values.get(2), values.get(3), values.get(4));
  }

  /** The first row of a query whose columns are all whole numbers. */
  static List<Long> queryLongs(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      List<Long> values = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        values.add(rs.getLong(i));
      }
      return values;
    }
  }

  private static String scan(List<Path> files) {
    String list =
        files.stream()
            .map(f -> "'" + f.toAbsolutePath().toString().replace("'", "''") + "'")
            .collect(Collectors.joining(", ", "[", "]"));
    boolean csv = files.get(0).toString().endsWith(".csv");
    return csv ? "read_csv(" + list + ", header = true)" : "read_parquet(" + list + ")";
  }
}
