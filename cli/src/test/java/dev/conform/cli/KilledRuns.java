package dev.conform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * {@code conform run} in a JVM of its own, killed with SIGKILL at a chosen moment: the machinery of
 * the tests that show a killed run leaves nothing half done.
 */
final class KilledRuns {
  private KilledRuns() {}

  /** A function {@code slow(n)} that returns {@code n} after a millisecond, to slow a query. */
  static final String SLOW =
      "CREATE FUNCTION slow(n int) RETURNS int AS $$ BEGIN PERFORM pg_sleep(0.001); RETURN n;"
          + " END $$ LANGUAGE plpgsql;";

  /** Where a run is when it is killed. */
  enum Phase {
    /** The source query runs (or the source is being read). */
    EXTRACTING,
    /** The landing file is written and the source query done: the warehouse is being changed. */
    APPLYING
  }

  /** A condition looked at while the run goes on. */
  interface Condition {
    boolean holds() throws Exception;
  }

  /**
   * A count of the other sessions on the source whose active query is {@code like} (an SQL LIKE
   * pattern).
   */
  static String querying(String like) {
    return "SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
        + " AND pid <> pg_backend_pid() AND query LIKE '"
        + like
        + "'";
  }

  /** The landing file of {@code source} for {@code model} in {@code project}. */
  static Path landing(Path project, String model, String source) {
    return project.resolve("target/landing").resolve(model).resolve(source + ".jsonl");
  }

  /**
   * Starts {@code conform run}, waits until it is in {@code phase}, and kills it with SIGKILL;
   * fails when the run ended before it got there. It is extracting while {@code extracting} (a
   * count on the source at {@code url}) is above 0; applying once it extracted, no longer does, and
   * {@code landing} exists.
   */
  static void killWhile(Path project, String url, String extracting, Path landing, Phase phase)
      throws Exception {
    Process process = start(project);
    try (Connection source = DriverManager.getConnection(url)) {
      boolean[] extracted = {false};
      killWhen(
          process,
          () -> {
            boolean now = Warehouse.count(source, extracting) > 0;
            extracted[0] |= now;
            return phase == Phase.EXTRACTING ? now : extracted[0] && !now && Files.exists(landing);
          },
          phase.toString());
    }
  }

  /** Asserts that dim_customer holds {@code rows} rows, each of its own customer: each once. */
  static void assertEachCustomerOnce(Path project, long rows) throws SQLException {
    assertThat(Warehouse.count(project, "SELECT count(*) FROM dim_customer")).isEqualTo(rows);
    assertThat(Warehouse.count(project, "SELECT count(DISTINCT customer_id) FROM dim_customer"))
        .isEqualTo(rows);
  }

  /** Starts {@code conform run} on {@code project} in a JVM of its own, its output discarded. */
  static Process start(Path project) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "run",
            "-p",
            project.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  /**
   * Kills {@code process} with SIGKILL and waits for it as soon as {@code condition} holds, looked
   * at every few milliseconds or as soon as the run ends; fails, saying the run ended {@code
   * "before " + moment}, when it ended first.
   */
  static void killWhen(Process process, Condition condition, String moment) throws Exception {
    while (!process.waitFor(5, TimeUnit.MILLISECONDS)) {
      if (condition.holds()) {
        process.destroyForcibly().waitFor();
        return;
      }
    }
    throw new AssertionError(
        "conform run ended (exit " + process.exitValue() + ") before " + moment);
  }
}
