package dev.conform.runtime.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;

import dev.conform.spi.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.concurrent.Await;
import scala.concurrent.duration.Duration;

/**
 * A statement's tallies, counted by Spark while the statement runs: each tallied relation's view is
 * replaced, for that statement, by the same rows under an observation (Spark's observed metrics),
 * which counts the rows the statement reads through it. The statement must read each such relation
 * exactly once; Spark refuses a plan that reads an observed relation twice. Where Spark finds the
 * statement need not read a relation and drops its observation, the relation is counted on its own
 * after the statement: a tallied relation must not read the tables its statement writes.
 */
final class Tallies {
  /** How long the observed counts may take to arrive after the statement finished. */
  private static final long ARRIVAL_SECONDS = 60;

  /** A relation under observation: {@code counts} counts its {@code tallies}, in order. */
  private record Observed(
      String relation,
      Dataset<Row> plain,
      Observation observation,
      List<Step.Tally> tallies,
      List<Column> counts) {}

  private final List<Observed> observed;

  private Tallies(List<Observed> observed) {
    this.observed = observed;
  }

  /**
   * Puts every relation {@code tallies} count under observation, in the order of their first
   * tallies. A view is resolved as it is observed, so a relation that reads another tallied one
   * must come after it ({@link Step.Statement} asks so), or it would read the other unobserved.
   */
  static Tallies observe(SparkSession spark, List<Step.Tally> tallies) {
    Map<String, List<Step.Tally>> byRelation = new LinkedHashMap<>();
    for (Step.Tally tally : tallies) {
      byRelation.computeIfAbsent(tally.relation(), r -> new ArrayList<>()).add(tally);
    }
    List<Observed> observed = new ArrayList<>();
    for (Map.Entry<String, List<Step.Tally>> entry : byRelation.entrySet()) {
      String view = SparkSessions.quote(entry.getKey());
      Dataset<Row> plain = spark.table(view);
      List<Column> counts = counts(entry.getValue());
      // Named uniquely by Spark: a session refuses two observations of one name.
      Observation observation = new Observation();
      plain.observe(observation, counts.get(0), rest(counts)).createOrReplaceTempView(view);
      observed.add(new Observed(entry.getKey(), plain, observation, entry.getValue(), counts));
    }
    return new Tallies(observed);
  }

  /** The aggregates that count {@code tallies}, one column each, in order. */
  private static List<Column> counts(List<Step.Tally> tallies) {
    List<Column> counts = new ArrayList<>();
    for (int i = 0; i < tallies.size(); i++) {
      counts.add(count_if(matches(tallies.get(i))).as("tally_" + i));
    }
    return counts;
  }

  /** All of {@code columns} but the first, as Spark's varargs take them. */
  private static Column[] rest(List<Column> columns) {
    return columns.subList(1, columns.size()).toArray(Column[]::new);
  }

  /** Whether a row has every flag of {@code tally}: TRUE or FALSE, never NULL. */
  private static Column matches(Step.Tally tally) {
    Column all = lit(true);
    for (Map.Entry<String, Boolean> flag : tally.flags().entrySet()) {
      all = all.and(col(SparkSessions.quote(flag.getKey())).eqNullSafe(lit(flag.getValue())));
    }
    return all;
  }

  /** Each tally's count, once the statement that read the relations has run. */
  Map<String, Long> counts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Observed o : observed) {
      Row row;
      try {
        row =
            Await.result(
                o.observation().future(), Duration.create(ARRIVAL_SECONDS, TimeUnit.SECONDS));
      } catch (Exception e) {
        // The plan tallies a relation its statement does not read: Conform's bug, not the user's.
        throw new IllegalStateException(
            "Spark reported no counts of '"
                + o.relation()
                + "' within "
                + ARRIVAL_SECONDS
                + " s of the statement that should have read it (a bug in Conform's plan): "
                + SparkSessions.message(e),
            e);
      }
      if (row.size() == 0) {
        // Spark's optimizer dropped the observing operator, having found the statement need not
        // read the relation: its input is known to be empty (a first run on an empty delivery),
        // or a filter over it is never true. Count the relation itself: what a tally means.
        row = o.plain().agg(o.counts().get(0), rest(o.counts())).first();
      }
      for (int i = 0; i < o.tallies().size(); i++) {
        counts.put(o.tallies().get(i).name(), row.getLong(i));
      }
    }
    return counts;
  }

  /** Gives each relation back its view without the observation. */
  void forget() {
    for (Observed o : observed) {
      o.plain().createOrReplaceTempView(SparkSessions.quote(o.relation()));
    }
  }
}
