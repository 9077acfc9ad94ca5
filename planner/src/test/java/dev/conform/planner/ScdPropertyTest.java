package dev.conform.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conform.dsl.DeleteMode;
import dev.conform.dsl.Expression;
import dev.conform.dsl.Position;
import dev.conform.dsl.expr.Expr;
import dev.conform.planner.ReferenceScd.Event;
import dev.conform.runtime.jdbc.JdbcRuntimeProvider;
import dev.conform.spi.Column;
import dev.conform.spi.ConformRuntime;
import dev.conform.spi.DataType;
import dev.conform.spi.Metric;
import dev.conform.spi.Plan;
import dev.conform.spi.RunListener;
import dev.conform.spi.RunResult;
import dev.conform.spi.RuntimeFailure;
import dev.conform.spi.SourceData;
import dev.conform.spi.SqlDialect;
import dev.conform.spi.WarehouseConnection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SCD semantics of DESIGN §4 on DuckDB: random event streams (backdated events, same-sequence
 * ties, deletes, re-deliveries) split into random batches applied in random order give exactly the
 * table of the reference fold, and re-applying a batch changes nothing.
 */
class ScdPropertyTest {
  private static final int SEEDS = Integer.getInteger("conform.property.seeds", 60);
  private static final List<Column> SOURCE =
      List.of(
          Column.of("customer_id", DataType.BIGINT),
          Column.of("seq", DataType.BIGINT),
          Column.of("tb", DataType.BIGINT),
          Column.of("op", DataType.STRING),
          Column.of("plan", DataType.STRING),
          Column.of("city", DataType.STRING));

  /** One configuration of a dimension under test. */
  record Config(
      int type, boolean trackAll, DeleteMode deletes, Long endOfTime, boolean tieBreakerColumn) {
    Config(int type, boolean trackAll, DeleteMode deletes, Long endOfTime) {
      this(type, trackAll, deletes, endOfTime, false);
    }

    ReferenceScd reference() {
      return new ReferenceScd(trackAll, deletes, endOfTime, tieBreakerColumn);
    }

    /**
     * Seed {@code seed}'s random numbers for this configuration, the same in every JVM (a record's
     * hash code is not: it hashes the enum by identity), so a failure's seed reproduces it.
     */
    Random random(long seed) {
      return new Random(seed + toString().hashCode());
    }

    @Override
    public String toString() {
      return "type "
          + type
          + (trackAll ? ", all tracked" : ", track [plan]")
          + (tieBreakerColumn ? ", tie-breaker is a column" : "")
          + ", deletes "
          + deletes.keyword()
          + (endOfTime == null ? "" : ", end of time " + endOfTime);
    }
  }

  static Stream<Arguments> configurations() {
    List<Config> configs =
        List.of(
            new Config(2, true, DeleteMode.CLOSE, null),
            new Config(2, false, DeleteMode.CLOSE, 99_999L),
            new Config(2, true, DeleteMode.TOMBSTONE, 99_999L),
            new Config(2, false, DeleteMode.TOMBSTONE, null),
            new Config(2, false, DeleteMode.IGNORE, null),
            // The tie-breaker is an output column: the journal keeps only what versions cannot
            // show.
            new Config(2, true, DeleteMode.CLOSE, null, true),
            new Config(2, false, DeleteMode.TOMBSTONE, 99_999L, true),
            // Upserts only, with the tie-breaker a tracked column (the seed's customer table): a
            // first run's replay leaves the operation and that column out of its comparisons.
            new Config(2, true, DeleteMode.IGNORE, null, true),
            new Config(1, true, DeleteMode.CLOSE, null),
            new Config(1, true, DeleteMode.TOMBSTONE, null),
            new Config(1, true, DeleteMode.IGNORE, null));
    List<Arguments> arguments = new ArrayList<>();
    for (Config config : configs) {
      arguments.add(Arguments.of(config));
    }
    return arguments.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configurations")
  void batchesInAnyOrderEqualTheReferenceReplay(Config config) {
    for (int seed = 0; seed < SEEDS; seed++) {
      checkBatchesInAnyOrder(config, seed, ScdPropertyTest::openDuckDb);
    }
  }

  /**
   * Seed {@code seed}'s random events, in random batches applied in random order on a new
   * warehouse, give the reference replay's table; re-applying one batch changes nothing.
   */
  static void checkBatchesInAnyOrder(
      Config config, int seed, java.util.function.Supplier<ConformRuntime> warehouse) {
    BoundDimension dimension = bind(config);
    ReferenceScd reference = config.reference();
    Random random = config.random(seed * 7919L);
    List<Event> events = randomEvents(random);
    List<List<String>> expected =
        config.type() == 2 ? reference.type2(events) : reference.type1(events);
    List<List<Event>> batches = randomBatches(random, events);
    try (ConformRuntime runtime = warehouse.get()) {
      long run = 1;
      long rows = 0;
      for (List<Event> batch : batches) {
        var counts = apply(runtime, dimension, batch, run++).models().get(0);
        long before = rows;
        rows =
            Long.parseLong(
                runtime.query("SELECT COUNT(*) FROM dim_customer", 1).rows().get(0).get(0));
        if (config.type() == 2 || config.deletes() != DeleteMode.TOMBSTONE) {
          // Type 2 inserts or removes versions by identity and rewrites the rest as they were;
          // Type 1 inserts new keys, replaces changed ones and removes deleted ones (a tombstone
          // for a key the target does not hold is a row that counts as none of them).
          assertThat(rows)
              .as(
                  "seed %d, %s, batch %s: rows after = before + inserted - removed",
                  seed, config, batch)
              .isEqualTo(
                  before + counts.count(Metric.ROWS_INSERTED) - counts.count(Metric.ROWS_DELETED));
        }
      }
      List<List<String>> actual = table(runtime);
      assertThat(actual)
          .as("seed %d, %s, batches %s", seed, config, batches)
          .containsExactlyElementsOf(expected);

      List<Event> again = batches.get(random.nextInt(batches.size()));
      RunResult rerun = apply(runtime, dimension, again, run);
      assertThat(table(runtime)).as("seed %d: re-applying a batch", seed).isEqualTo(actual);
      var counts = rerun.models().get(0);
      assertThat(
              List.of(
                  Metric.ROWS_INSERTED,
                  Metric.ROWS_CLOSED,
                  Metric.ROWS_UPDATED,
                  Metric.ROWS_DELETED))
          .as("seed %d: re-applying a batch writes nothing", seed)
          .allSatisfy(m -> assertThat(counts.count(m)).as(m.name()).isZero());
      if (config.type() == 2) {
        // Type 1 keeps only each key's last event, so an older re-delivered event looks new.
        assertThat(counts.count(Metric.EVENTS_NEW)).isZero();
      }
    }
  }

  /**
   * A first run's plan (into tables that do not exist yet) writes the same target, journal and
   * counts as the incremental plan does into empty tables.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("configurations")
  void theInitialLoadPlanEqualsTheIncrementalPlanOnEmptyTables(Config config) {
    for (int seed = 0; seed < SEEDS / 4; seed++) {
      checkInitialEqualsIncremental(config, seed, ScdPropertyTest::openDuckDb);
    }
  }

  /**
   * Seed {@code seed}'s random events, loaded by a first run's plan on one new warehouse and by the
   * incremental plan on another, give the same target, journal and counts.
   */
  static void checkInitialEqualsIncremental(
      Config config, int seed, java.util.function.Supplier<ConformRuntime> warehouse) {
    checkInitialEqualsIncremental(
        config, "seed " + seed, randomEvents(config.random(seed * 15_485_863L)), warehouse);
  }

  /**
   * No events at all, loaded by a first run's plan and by the incremental plan, give the same empty
   * target and journal and the same counts: an empty first delivery is not an error.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("configurations")
  void anEmptyFirstBatchLoadsAsTheIncrementalPlanDoes(Config config) {
    checkInitialEqualsIncremental(config, "no events", List.of(), ScdPropertyTest::openDuckDb);
  }

  static void checkInitialEqualsIncremental(
      Config config,
      String what,
      List<Event> events,
      java.util.function.Supplier<ConformRuntime> warehouse) {
    BoundDimension dimension = bind(config);
    try (ConformRuntime initial = warehouse.get();
        ConformRuntime incremental = warehouse.get()) {
      RunResult first = apply(initial, dimension, events, 1, Planner.Start.NEW_TABLES);
      RunResult replayed = apply(incremental, dimension, events, 1, Planner.Start.INCREMENTAL);
      assertThat(table(initial)).as("%s, %s", what, config).isEqualTo(table(incremental));
      String journal = "SELECT * FROM dim_customer__journal";
      assertThat(ReferenceScd.sorted(initial.query(journal, -1).rows()))
          .as("%s, %s: journal", what, config)
          .isEqualTo(ReferenceScd.sorted(incremental.query(journal, -1).rows()));
      for (Metric metric : Metric.values()) {
        assertThat(first.models().get(0).count(metric))
            .as("%s, %s: %s", what, config, metric)
            .isEqualTo(replayed.models().get(0).count(metric));
      }
    }
  }

  /** A first run's plan on tables that exist after all fails, rather than add the rows twice. */
  @Test
  void aFirstRunPlanOnExistingTablesFailsAndChangesNothing() {
    BoundDimension dimension = bind(new Config(2, true, DeleteMode.CLOSE, null));
    List<Event> events = randomEvents(new Random(1));
    try (ConformRuntime runtime = openDuckDb()) {
      apply(runtime, dimension, events, 1);
      List<List<String>> before = table(runtime);

      assertThatThrownBy(() -> apply(runtime, dimension, events, 2, Planner.Start.NEW_TABLES))
          .isInstanceOf(RuntimeFailure.class)
          .hasMessageStartingWith("Cannot run model 'dim_customer', step 'create dim_customer':")
          .hasMessageContaining("already exists");
      assertThat(table(runtime)).isEqualTo(before);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configurations")
  void oneBatchWithEverythingEqualsTheReferenceReplay(Config config) {
    BoundDimension dimension = bind(config);
    ReferenceScd reference = config.reference();
    for (int seed = 0; seed < SEEDS / 2; seed++) {
      Random random = config.random(seed * 104_729L);
      List<Event> events = randomEvents(random);
      try (ConformRuntime runtime = openDuckDb()) {
        apply(runtime, dimension, events, 1);
        assertThat(table(runtime))
            .as("seed %d, %s", seed, config)
            .containsExactlyElementsOf(
                config.type() == 2 ? reference.type2(events) : reference.type1(events));
      }
    }
  }

  private static List<Event> randomEvents(Random random) {
    int keys = 1 + random.nextInt(4);
    int count = 1 + random.nextInt(25);
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long key = 1 + random.nextInt(keys);
      long seq = 1 + random.nextInt(12);
      Long tb = random.nextInt(8) == 0 ? null : Long.valueOf(random.nextInt(4));
      boolean delete = random.nextInt(6) == 0;
      String plan = delete ? null : pick(random, "prepaid", "postpaid", null);
      String city = delete ? null : pick(random, "Cairo", "Giza");
      events.add(new Event(key, seq, tb, delete, plan, city));
      if (random.nextInt(5) == 0) {
        events.add(events.get(random.nextInt(events.size())));
      }
    }
    return events;
  }

  private static String pick(Random random, String... values) {
    return values[random.nextInt(values.length)];
  }

  /** Random batches, shuffled; some events are delivered in two batches. */
  private static List<List<Event>> randomBatches(Random random, List<Event> events) {
    int count = 1 + random.nextInt(4);
    List<List<Event>> batches = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      batches.add(new ArrayList<>());
    }
    for (Event event : events) {
      batches.get(random.nextInt(count)).add(event);
      if (random.nextInt(8) == 0) {
        batches.get(random.nextInt(count)).add(event);
      }
    }
    Collections.shuffle(batches, random);
    return batches;
  }

  static BoundDimension bind(Config config) {
    Expression isDelete =
        new Expression(
            "op = 'D'",
            new Expr.Binary(
                Expr.BinaryOperator.EQUAL,
                new Expr.ColumnRef("op", Position.NONE),
                new Expr.Literal(Expr.LiteralKind.STRING, "D", Position.NONE),
                Position.NONE),
            Position.NONE);
    var source = Fixtures.source("customers", SOURCE, Optional.of(isDelete));
    var scd =
        Fixtures.scd(
            config.type(),
            "seq",
            List.of("tb"),
            config.trackAll() || config.type() == 1 ? List.of() : List.of("plan"),
            config.deletes(),
            Optional.ofNullable(config.endOfTime()).map(String::valueOf));
    var dimension =
        Fixtures.dimension(
            "dim_customer",
            "customers",
            List.of("customer_id"),
            Optional.of("customer_sk"),
            scd,
            config.tieBreakerColumn() ? List.of("tb", "plan", "city") : List.of("plan", "city"),
            List.of());
    return new Binder().bind(dimension, source, SOURCE);
  }

  static ConformRuntime openDuckDb() {
    return new JdbcRuntimeProvider()
        .open(new WarehouseConnection("warehouse", "duckdb", "jdbc:duckdb:", Map.of()));
  }

  /** Applies {@code batch} as {@code conform run} does: planned for the tables as they stand. */
  static RunResult apply(
      ConformRuntime runtime, BoundDimension dimension, List<Event> batch, long runId) {
    return apply(
        runtime,
        dimension,
        batch,
        runId,
        Planner.start(dimension, false, t -> runtime.tableColumns(t).isPresent()));
  }

  static RunResult apply(
      ConformRuntime runtime,
      BoundDimension dimension,
      List<Event> batch,
      long runId,
      Planner.Start start) {
    List<List<String>> rows = batch.stream().map(Event::asRow).toList();
    SourceData data = new SourceData.InlineRows(SOURCE.stream().map(Column::name).toList(), rows);
    SqlDialect dialect = runtime.dialect();
    PlannedModel model =
        new Planner().plan(new Planner.ModelRequest(dimension, data), dialect, runId, start);
    return runtime.execute(new Plan(dialect, List.of(model.plan())), RunListener.NONE);
  }

  private static List<List<String>> table(ConformRuntime runtime) {
    return ReferenceScd.sorted(runtime.query("SELECT * FROM dim_customer", -1).rows());
  }
}
