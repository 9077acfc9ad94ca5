package dev.conform.examples;

import dev.conform.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The lag of log-based capture: a writer commits a steady stream of single-row updates to a
 * PostgreSQL table while {@code conform run} captures them by logical decoding into a Type 2
 * dimension on DuckDB, run after run, as a scheduler calling it in a loop would. Each update opens
 * one version whose {@code valid_from} is the source commit time; its lag is the time from that
 * commit to the commit of the run that loaded it. Prints the distribution.
 *
 * <pre>
 * LogLagBenchmark JDBC_URL PROJECT_FOLDER CHANGES_PER_SECOND SECONDS
 * </pre>
 */
public final class LogLagBenchmark {
  private static final int ACCOUNTS = 10_000;

  private LogLagBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println(
          "usage: LogLagBenchmark JDBC_URL PROJECT_FOLDER CHANGES_PER_SECOND SECONDS");
      System.exit(2);
    }
    String url = args[0];
    Path project = Path.of(args[1]);
    int rate = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    createSource(url);
    writeProject(project, url);
    run(project); // the first run: the slot, the snapshot of the table
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicLong written = new AtomicLong();
    Thread writer = new Thread(() -> write(url, rate, seconds, writing, written), "writer");
    writer.start();
    List<Double> lags = new ArrayList<>();
    List<Double> runTimes = new ArrayList<>();
    // The first run's snapshot opened every account's first version: lags count from there.
    LocalDateTime seen =
        versionsAfter(project, LocalDateTime.of(1970, 1, 1, 0, 0)).stream()
            .max(LocalDateTime::compareTo)
            .orElseThrow();
    while (writing.get() || lags.size() < written.get()) {
      Instant started = Instant.now();
      run(project);
      Instant committed = Instant.now();
      runTimes.add(Duration.between(started, committed).toNanos() / 1e9);
      List<LocalDateTime> loaded = versionsAfter(project, seen);
      for (LocalDateTime sourceCommit : loaded) {
        Instant at = sourceCommit.toInstant(ZoneOffset.UTC);
        lags.add(Duration.between(at, committed).toNanos() / 1e9);
        if (sourceCommit.isAfter(seen)) {
          seen = sourceCommit;
        }
      }
      if (!writing.get() && loaded.isEmpty() && lags.size() >= written.get()) {
        break;
      }
    }
    writer.join();
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(
          "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
              + " WHERE slot_name LIKE 'conform%' AND NOT active AND database = current_database()");
    }
    Collections.sort(lags);
    Collections.sort(runTimes);
    System.out.printf(
        Locale.ROOT,
        "changes %d at %d/s over %d s; runs %d (median %.2f s each);"
            + " lag source commit -> warehouse commit: median %.2f s, p95 %.2f s, max %.2f s%n",
        lags.size(),
        rate,
        seconds,
        runTimes.size(),
        percentile(runTimes, 0.5),
        percentile(lags, 0.5),
        percentile(lags, 0.95),
        lags.isEmpty() ? 0 : lags.get(lags.size() - 1));
  }

  private static void createSource(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS conform_lag_accounts");
      s.execute("CREATE TABLE conform_lag_accounts (id int PRIMARY KEY, balance int NOT NULL)");
      s.execute(
          "INSERT INTO conform_lag_accounts SELECT n, 0 FROM generate_series(1, "
              + ACCOUNTS
              + ") n");
    }
  }

  private static void writeProject(Path project, String url) throws IOException {
    Files.createDirectories(project.resolve("models"));
    Files.writeString(
        project.resolve("conform.yaml"),
        "project: lag\nspec-paths: [models]\nconnections:\n  src: { type: postgresql, url: \""
            + url
            + "\" }\n");
    Files.writeString(
        project.resolve("models/lag.yaml"),
        "sources:\n"
            + "  - name: accounts\n    connection: src\n    table: conform_lag_accounts\n"
            + "    key: [id]\n    cdc: { strategy: log }\n"
            + "dimensions:\n"
            + "  - name: dim_account\n    from: accounts\n    business_key: [id]\n"
            + "    scd: { type: 2, sequence_by: _cdc_at, tie_breaker: [_cdc_position] }\n"
            + "    columns: { balance: }\n");
  }

  /** Commits single-row updates at {@code rate} a second for {@code seconds}. */
  private static void write(
      String url, int rate, int seconds, AtomicBoolean writing, AtomicLong written) {
    Random random = new Random(1);
    long interval = 1_000_000_000L / rate;
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement update =
            c.prepareStatement(
                "UPDATE conform_lag_accounts SET balance = balance + 1 WHERE id = ?")) {
      for (long next = start; next < end; next += interval) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        update.setInt(1, 1 + random.nextInt(ACCOUNTS));
        update.executeUpdate();
        written.incrementAndGet();
      }
    } catch (SQLException | InterruptedException e) {
      throw new IllegalStateException("The writer failed: " + e.getMessage(), e);
    } finally {
      writing.set(false);
    }
  }

  private static void run(Path project) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.execute(new PrintWriter(out), new PrintWriter(err), "run", "-p", project.toString());
    if (code != 0) {
      throw new IllegalStateException("conform run failed: " + err);
    }
  }

  /** The valid_from (source commit times) of the versions opened after {@code seen}. */
  private static List<LocalDateTime> versionsAfter(Path project, LocalDateTime seen)
      throws SQLException {
    List<LocalDateTime> versions = new ArrayList<>();
    String warehouse = project.resolve("target/warehouse.duckdb").toString();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + warehouse);
        PreparedStatement query =
            c.prepareStatement("SELECT valid_from FROM dim_account WHERE valid_from > ?")) {
      query.setTimestamp(1, Timestamp.valueOf(seen));
      try (ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          versions.add(rs.getTimestamp(1).toLocalDateTime());
        }
      }
    }
    return versions;
  }

  private static double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }
}
