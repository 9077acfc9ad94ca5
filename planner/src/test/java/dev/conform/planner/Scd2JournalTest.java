package dev.conform.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conform.dsl.DeleteMode;
import dev.conform.planner.ReferenceScd.Event;
import dev.conform.planner.ScdPropertyTest.Config;
import dev.conform.spi.ConformRuntime;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a Type 2 journal keeps. When every tie-breaker is an output column, a version made of one
 * event gives that event back, so the journal keeps only events of groups of several, events that
 * share their key and sequence with another, and deletes; otherwise it keeps every event.
 */
class Scd2JournalTest {
  private static final List<Event> EVENTS =
      List.of(
          // Key 1: a single-event version, two events at one sequence, a delete.
          new Event(1, 1, 1L, false, "prepaid", "Cairo"),
          new Event(1, 2, 1L, false, "postpaid", "Cairo"),
          new Event(1, 2, 2L, false, "prepaid", "Giza"),
          new Event(1, 3, 1L, true, null, null),
          // Key 2: two events that make one version (city is not tracked), then a single one.
          new Event(2, 1, 1L, false, "prepaid", "Cairo"),
          new Event(2, 2, 1L, false, "prepaid", "Giza"),
          new Event(2, 3, 1L, false, "postpaid", "Giza"),
          // Key 3: only single-event versions.
          new Event(3, 1, 1L, false, "prepaid", "Cairo"),
          new Event(3, 2, 1L, false, "postpaid", "Cairo"));

  @Test
  void withTheTieBreakerAsAColumnTheJournalKeepsOnlyWhatVersionsCannotShow() {
    assertThat(journal(new Config(2, false, DeleteMode.CLOSE, null, true)))
        .containsExactly(
            List.of("1", "2", "1"),
            List.of("1", "2", "2"),
            List.of("1", "3", "1"),
            List.of("2", "1", "1"),
            List.of("2", "2", "1"));
  }

  @Test
  void withATieBreakerTheTargetDoesNotHoldTheJournalKeepsEveryEvent() {
    assertThat(journal(new Config(2, false, DeleteMode.CLOSE, null, false))).hasSize(9);
  }

  @Test
  void aLaterBatchMovesEventsIntoTheJournalOnlyWhenTheyStopStandingAlone() {
    Config config = new Config(2, false, DeleteMode.CLOSE, null, true);
    try (ConformRuntime runtime = ScdPropertyTest.openDuckDb()) {
      var dimension = ScdPropertyTest.bind(config);
      ScdPropertyTest.apply(runtime, dimension, EVENTS, 1);
      // Key 3 gets a second event at sequence 2: both are journaled now; its first stays out.
      ScdPropertyTest.apply(
          runtime, dimension, List.of(new Event(3, 2, 0L, false, "business", "Giza")), 2);
      assertThat(journalRows(runtime))
          .filteredOn(row -> row.get(0).equals("3"))
          .containsExactly(List.of("3", "2", "0"), List.of("3", "2", "1"));
      assertThat(
              runtime.query("SELECT count(*) FROM dim_customer WHERE customer_id = 3", -1).rows())
          .containsExactly(List.of("3"));
    }
  }

  private static List<List<String>> journal(Config config) {
    try (ConformRuntime runtime = ScdPropertyTest.openDuckDb()) {
      ScdPropertyTest.apply(runtime, ScdPropertyTest.bind(config), EVENTS, 1);
      return journalRows(runtime);
    }
  }

  private static List<List<String>> journalRows(ConformRuntime runtime) {
    return runtime
        .query(
            "SELECT customer_id, _conform_seq, _conform_tb0 FROM dim_customer__journal"
                + " ORDER BY 1, 2, 3",
            -1)
        .rows();
  }
}
