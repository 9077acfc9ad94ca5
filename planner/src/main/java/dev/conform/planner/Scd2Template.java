package dev.conform.planner;

import static dev.conform.planner.ChangeStreamTemplate.DELETE;
import static dev.conform.planner.ChangeStreamTemplate.OPERATION;
import static dev.conform.planner.ChangeStreamTemplate.SEQUENCE;
import static dev.conform.planner.ChangeStreamTemplate.UPSERT;

import dev.conform.dsl.DeleteMode;
import dev.conform.dsl.ScdSpec;
import dev.conform.spi.Column;
import dev.conform.spi.DataType;
import dev.conform.spi.Metric;
import dev.conform.spi.SourceData;
import dev.conform.spi.Step;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.DateString;

/**
 * SCD Type 2 as a replay (DESIGN §4), computed set-based for the keys a run touches.
 *
 * <p>Per key, the events ordered by (sequence, tie-breakers, operation, tracked columns, other
 * columns) fall into groups: an upsert opens a group unless the previous event is an upsert with
 * equal tracked columns; a delete opens one unless the previous event is a delete. Each upsert
 * group is a version: it starts at its first event's sequence, takes its last event's values
 * (untracked changes overwrite in place) and ends at the next group's first sequence. Delete groups
 * close the version before them, and are versions themselves only with {@code deletes: tombstone}.
 *
 * <p>An incremental run recomputes only from the last version of each changed key that starts
 * before the key's earliest new event: every group before that version is unaffected by events that
 * come after it. The last applied event before that point is replayed too, as context, so the first
 * replayed event knows whether it continues a group; its own group is not rewritten. The target and
 * the journal are read once, for the batch's keys; rewritten rows are deleted by row id where the
 * dialect has one (see {@link DialectRenderer#rowId}).
 *
 * <p>The events applied before are the journal's and, when every tie-breaker is an output column,
 * those the target's versions give back: a version made of one event is that event. So the journal
 * keeps only events of groups of several, events sharing their key and sequence with another, and
 * deletes; a version is given back as an event unless the journal holds an event of its key at its
 * start. Without such tie-breaker columns the journal keeps every event.
 */
final class Scd2Template {
  private static final String CONTEXT = "_conform_ctx";
  private static final String MIN_SEQUENCE = "_conform_min_seq";
  private static final String FROM_SEQUENCE = "_conform_from_seq";
  private static final String ROW_NUMBER = "_conform_rn";
  private static final String REPLAYED = "_conform_replayed";
  private static final String REPLAYED_CLOSED = "_conform_replayed_closed";
  private static final String REPLACED = "_conform_replaced";
  private static final String REPLACED_OPEN = "_conform_replaced_open";
  private static final List<String> VERSION_COUNTS =
      List.of(REPLAYED, REPLAYED_CLOSED, REPLACED, REPLACED_OPEN);
  private static final String NEW = "_conform_new";
  private static final String ROW_ID = "_conform_rowid";
  private static final String DUPLICATE = "_conform_dup";
  private static final String JOURNAL = "_conform_journal";
  private static final String OPENS = "_conform_opens";
  private static final String LAST = "_conform_last";
  private static final String NEXT_SEQUENCE = "_conform_next_seq";
  private static final String PREVIOUS = "_conform_prev_";
  private static final String NEXT = "_conform_next_";
  private static final String GROUP = "_conform_group_";
  private static final String TRACKED_ROW = "_conform_tracked";
  private static final String IDENTICAL_ROW = "_conform_identical";

  private final BoundDimension dimension;
  private final ChangeStreamTemplate stream;
  private final ModelTables tables;
  private final ScdSpec scd;

  Scd2Template(BoundDimension dimension) {
    this.dimension = dimension;
    this.stream = new ChangeStreamTemplate(dimension);
    this.tables = new ModelTables(dimension.name());
    this.scd = dimension.spec().scd();
  }

  /** The target's columns: surrogate key, business key, payload, validity, flags. */
  List<Column> targetColumns() {
    List<Column> columns = stream.keyAndPayloadColumns();
    columns.add(Column.of(scd.validFrom(), dimension.sequenceType()));
    columns.add(Column.of(scd.validTo(), dimension.sequenceType()));
    columns.add(Column.of(scd.currentFlag(), DataType.BOOLEAN));
    if (scd.deletes() == DeleteMode.TOMBSTONE) {
      columns.add(Column.of(scd.deletedFlag(), DataType.BOOLEAN));
    }
    return columns;
  }

  void plan(ModelPlanBuilder plan, SourceData data, long runId, Planner.Start start) {
    RelBuilder b = plan.schema().builder();
    DialectRenderer r = plan.renderer();
    stream.createTables(plan, targetColumns(), start);
    boolean initial = start != Planner.Start.INCREMENTAL;
    ChangeStreamTemplate.Batch events =
        stream.batchEvents(plan, data, runId, initial && r.tallies());
    if (initial) {
      planInitial(plan, b, events, runId);
      return;
    }
    String batch = events.events();
    List<String> keys = stream.keyNames();
    List<String> eventColumns = stream.eventColumnNames();
    List<String> target = ChangeStreamTemplate.names(targetColumns());

    // The keys the batch touches, each with its earliest sequence in the batch.
    b.scan(batch);
    b.aggregate(b.groupKey(Relations.fields(b, keys)));
    String impacted = tables.temp("impacted");
    plan.createTemp("find the keys the batch touches", impacted, b.build());

    // Their rows in the target and the journal: the run's only reads of those two tables.
    String history = tables.temp("history");
    plan.createTemp(
        "read the versions of those keys",
        history,
        rowsOf(b, r, tables.target(), target, impacted));
    String logged = tables.temp("logged");
    plan.createTemp(
        "read the journaled events of those keys",
        logged,
        rowsOf(b, r, tables.journal(), eventColumns, impacted));

    // The events applied before: the journal's, and those of the versions it does not cover.
    b.scan(logged);
    b.project(Relations.fields(b, eventColumns));
    tieBreakerColumns()
        .ifPresent(
            columns -> {
              b.scan(history);
              b.scan(logged);
              b.join(
                  JoinRelType.ANTI,
                  b.and(
                      Relations.columnsEqual(b, keys),
                      b.equals(b.field(2, 0, scd.validFrom()), b.field(2, 1, SEQUENCE))));
              b.project(eventsOfVersions(b, columns), eventColumns, true);
              b.union(true, 2);
            });
    String applied = tables.temp("applied");
    plan.createTemp("collect the events applied before", applied, b.build());

    // Where each key's replay starts: its last version that starts before its earliest new event.
    // Keys whose batch events were all applied before are not replayed.
    stream.pushUnapplied(b, batch, applied);
    b.aggregate(b.groupKey(Relations.fields(b, keys)), b.min(MIN_SEQUENCE, b.field(SEQUENCE)));
    b.scan(history);
    b.join(
        JoinRelType.LEFT,
        b.and(
            Relations.columnsEqual(b, keys),
            b.lessThan(b.field(2, 1, scd.validFrom()), b.field(2, 0, MIN_SEQUENCE))));
    // After a join, a plain name finds the left input's column first.
    List<RexNode> groupKey = new ArrayList<>(Relations.fields(b, keys));
    groupKey.add(b.field(MIN_SEQUENCE));
    b.aggregate(b.groupKey(groupKey), b.max(FROM_SEQUENCE, b.field(scd.validFrom())));
    String anchors = tables.temp("anchors");
    plan.createTemp("find where each changed key's history changes", anchors, b.build());

    // The events to replay: the batch's that are new, the applied ones from the anchor on, and the
    // last applied one before the anchor as context.
    stream.pushUnapplied(b, batch, applied);
    b.project(withFlags(b, eventColumns, false, true), replayColumns(), true);
    b.scan(applied);
    b.scan(anchors);
    b.join(
        JoinRelType.INNER,
        b.and(
            Relations.columnsEqual(b, keys),
            b.or(
                b.isNull(b.field(2, 1, FROM_SEQUENCE)),
                b.greaterThanOrEqual(b.field(2, 0, SEQUENCE), b.field(2, 1, FROM_SEQUENCE)))));
    b.project(withFlags(b, eventColumns, false, false), replayColumns(), true);
    b.scan(applied);
    b.scan(anchors);
    b.join(
        JoinRelType.INNER,
        b.and(
            Relations.columnsEqual(b, keys),
            b.lessThan(b.field(2, 0, SEQUENCE), b.field(2, 1, FROM_SEQUENCE))));
    List<RexNode> contextColumns = new ArrayList<>(Relations.fields(b, eventColumns));
    contextColumns.add(
        b.aggregateCall(SqlStdOperatorTable.ROW_NUMBER)
            .over()
            .partitionBy(Relations.fields(b, keys))
            .orderBy(stream.eventOrder(b, true, false))
            .toRex());
    List<String> contextNames = new ArrayList<>(eventColumns);
    contextNames.add(ROW_NUMBER);
    b.project(contextColumns, contextNames, true);
    b.filter(b.equals(b.field(ROW_NUMBER), b.literal(1)));
    b.project(withFlags(b, eventColumns, true, false), replayColumns(), true);
    b.union(true, 3);
    Replayed replayed = replay(plan, b, false, false);
    String boundaries = replayed.boundaries();
    String versions = replayed.versions();

    // The rows the replay replaces.
    b.scan(history);
    b.scan(anchors);
    b.join(
        JoinRelType.INNER, b.and(Relations.columnsEqual(b, keys), fromAnchor(b, scd.validFrom())));
    b.project(Relations.fields(b, withRowId(r, target)));
    String replaced = tables.temp("replaced");
    plan.createTemp("keep the rows being rewritten", replaced, b.build());

    countVersions(plan, b, versions, replaced);

    String description = "remove the rewritten history of impacted keys";
    if (!r.rowId().isEmpty()) {
      b.scan(replaced);
      b.project(Relations.fields(b, rowIdNames(r)));
      plan.deleteRows(description, tables.target(), b.build());
    } else {
      plan.add(
          Step.Statement.of(
              description,
              r.deleteMatching(
                  tables.target(), anchors, keys, fromAnchorText(r, scd.validFrom()))));
    }
    b.scan(versions);
    b.project(Relations.fields(b, target));
    plan.insert("write the replayed versions", tables.target(), target, b.build(), null);

    description = "forget the journaled events being replayed";
    if (!r.rowId().isEmpty()) {
      b.scan(logged);
      b.scan(anchors);
      b.join(JoinRelType.INNER, b.and(Relations.columnsEqual(b, keys), fromAnchor(b, SEQUENCE)));
      b.project(Relations.fields(b, rowIdNames(r)));
      plan.deleteRows(description, tables.journal(), b.build());
    } else {
      plan.add(
          Step.Statement.of(
              description,
              r.deleteMatching(tables.journal(), anchors, keys, fromAnchorText(r, SEQUENCE))));
    }
    journalEvents(plan, b, boundaries, Optional.empty());
  }

  /**
   * The load into empty tables (a model's first run, or a full refresh): nothing was applied
   * before, so every batch event is replayed as new, and the versions and the journal's events are
   * only written. The replay is the incremental one's, so both give the same tables.
   */
  private void planInitial(
      ModelPlanBuilder plan, RelBuilder b, ChangeStreamTemplate.Batch batch, long runId) {
    b.scan(batch.events());
    b.project(withFlags(b, stream.eventColumnNames(), false, true), replayColumns(), true);
    Replayed replayed = replay(plan, b, true, stream.batchHasOnlyUpserts());
    String boundaries = replayed.boundaries();

    List<String> target = ChangeStreamTemplate.names(targetColumns());
    b.scan(replayed.versions());
    b.project(Relations.fields(b, target));
    RelNode versions = b.build();
    if (replayed.stored()) {
      plan.insert("write the versions", tables.target(), target, versions, Metric.ROWS_INSERTED);
      journalEvents(plan, b, boundaries, Optional.empty());
    } else {
      // The boundaries are computed once, as the versions' statement reads them; it counts the
      // new events and the events to journal as they go by, and the rows loaded and staged rows
      // to reject. Those come first: the boundaries read them.
      List<Step.Tally> tallies = new ArrayList<>(batch.tallies());
      tallies.add(plan.tally("new_events", Metric.EVENTS_NEW, boundaries, newEvents()));
      tallies.add(plan.tally(JOURNAL_TALLY, null, boundaries, journaled()));
      plan.insert(
          "write the versions",
          tables.target(),
          target,
          versions,
          Metric.ROWS_INSERTED,
          statement -> statement.withTallies(tallies));
      journalEvents(plan, b, boundaries, Optional.of(JOURNAL_TALLY));
    }
    // Rejects that waited for the versions' statement, which counted them.
    if (batch.rejectsWait()) {
      stream.rejectStaged(plan, runId, true);
    }
  }

  /** The tally of a first run that says whether any event is to be journaled. */
  private static final String JOURNAL_TALLY = "events_to_journal";

  /** The flags of a new event that is not a duplicate of an earlier one. */
  private static Map<String, Boolean> newEvents() {
    Map<String, Boolean> flags = new LinkedHashMap<>();
    flags.put(NEW, true);
    flags.put(DUPLICATE, false);
    return flags;
  }

  /** The flags of an event the journal keeps (see {@link #journalEvents}). */
  private static Map<String, Boolean> journaled() {
    Map<String, Boolean> flags = new LinkedHashMap<>();
    flags.put(JOURNAL, true);
    flags.put(DUPLICATE, false);
    flags.put(CONTEXT, false);
    return flags;
  }

  /**
   * The replay's temporary relations: its events with their flags, and the versions they make.
   * {@code stored}: the flagged events are stored and their new events counted; else they are a
   * view that only the statement writing the versions reads, which must tally what else needs them.
   */
  private record Replayed(String boundaries, String versions, boolean stored) {}

  /**
   * Replays the events on top of {@code b}'s stack (with the {@link #replayColumns}) into versions.
   * {@code firstRun}: the target is empty, so every event is new and none is context, and the
   * versions are read once (an incremental run reads them several times, to count, and stores
   * them); where the runtime tallies while it writes ({@link DialectRenderer#tallies}), nothing of
   * the replay is stored. {@code upsertsOnly}: every replayed event is an upsert, which spares the
   * replay the operation's comparisons.
   */
  private Replayed replay(
      ModelPlanBuilder plan, RelBuilder b, boolean firstRun, boolean upsertsOnly) {
    String replay = tables.temp("replay");
    plan.createView("gather the events to replay", replay, b.build());
    DialectRenderer r = plan.renderer();
    boolean stored = !(firstRun && r.tallies());
    // Where the dialect has no temporary views, giving the columns back would copy every event.
    Map<String, Function<RelBuilder, RexNode>> constant =
        firstRun && stored && r.hasTemporaryViews() ? constantColumns(upsertsOnly) : Map.of();
    String boundaries = tables.temp("boundaries");
    String marks = constant.isEmpty() ? boundaries : tables.temp("marks");
    RelNode found = boundaries(b, r, replay, upsertsOnly, constant.keySet());
    if (stored) {
      plan.createTemp("find where versions start and end", marks, found);
    } else {
      plan.createView("find where versions start and end", marks, found);
    }
    if (!constant.isEmpty()) {
      // The stored marks leave out what every event has alike; a view gives it back.
      plan.createView(
          "read the marks as replayed events", boundaries, withConstants(b, marks, constant));
    }
    if (stored) {
      plan.measure(
          "count new events",
          Relations.countWithFlags(b, boundaries, newEvents()),
          Metric.EVENTS_NEW);
    }
    String versions = tables.temp("versions");
    RelNode replayed = versions(b, boundaries, upsertsOnly, !stored);
    if (firstRun) {
      plan.createView("replay events into versions", versions, replayed);
    } else {
      plan.createTemp("replay events into versions", versions, replayed);
    }
    return new Replayed(boundaries, versions, stored);
  }

  /**
   * The replay columns whose value a first run knows without storing it, each with that value: its
   * events are all new and none is context; with upserts only, the operation, and the tie-breakers
   * that payload columns hold.
   */
  private Map<String, Function<RelBuilder, RexNode>> constantColumns(boolean upsertsOnly) {
    Map<String, Function<RelBuilder, RexNode>> constant = new LinkedHashMap<>();
    if (upsertsOnly) {
      constant.put(OPERATION, b -> b.literal(UPSERT));
      List<String> tieBreakers = stream.tieBreakerNames();
      for (int i = 0; i < tieBreakers.size(); i++) {
        String tieBreaker = tieBreakers.get(i);
        stream.tieBreakerColumn(i).ifPresent(c -> constant.put(tieBreaker, b -> b.field(c)));
      }
    }
    constant.put(CONTEXT, b -> b.literal(false));
    constant.put(NEW, b -> b.literal(true));
    return constant;
  }

  /** A first run's stored marks with the {@code constant} replay columns given back, in place. */
  private RelNode withConstants(
      RelBuilder b, String marks, Map<String, Function<RelBuilder, RexNode>> constant) {
    b.scan(marks);
    List<String> names = new ArrayList<>(replayColumns());
    List<RexNode> exprs = new ArrayList<>();
    for (String column : names) {
      exprs.add(constant.containsKey(column) ? constant.get(column).apply(b) : b.field(column));
    }
    for (String mark : b.peek().getRowType().getFieldNames()) {
      if (!names.contains(mark)) {
        exprs.add(b.field(mark));
        names.add(mark);
      }
    }
    b.project(exprs, names, true);
    return b.build();
  }

  /**
   * Journals the replayed events that the versions do not show (see the class comment); with {@code
   * onlyIf}, only when that tally is not zero.
   */
  private void journalEvents(
      ModelPlanBuilder plan, RelBuilder b, String boundaries, Optional<String> onlyIf) {
    List<String> eventColumns = stream.eventColumnNames();
    b.scan(boundaries);
    b.filter(Relations.withFlags(b, journaled()));
    b.project(Relations.fields(b, eventColumns));
    plan.insert(
        "journal the events the versions do not show",
        tables.journal(),
        eventColumns,
        b.build(),
        null,
        statement -> onlyIf.map(statement::withOnlyIf).orElse(statement));
  }

  /**
   * The rows of {@code table} (its {@code columns}, and its row id as {@value #ROW_ID} where the
   * dialect has one) whose key is among {@code impacted}'s.
   */
  private RelNode rowsOf(
      RelBuilder b, DialectRenderer r, String table, List<String> columns, String impacted) {
    b.scan(table);
    b.scan(impacted);
    b.join(JoinRelType.INNER, Relations.columnsEqual(b, stream.keyNames()));
    List<RexNode> exprs = new ArrayList<>(Relations.fields(b, columns));
    List<String> names = new ArrayList<>(columns);
    for (Column id : r.rowId()) {
      exprs.add(b.field(id.name()));
    }
    names.addAll(rowIdNames(r));
    b.project(exprs, names, true);
    return b.build();
  }

  private static List<String> withRowId(DialectRenderer r, List<String> columns) {
    List<String> all = new ArrayList<>(columns);
    all.addAll(rowIdNames(r));
    return all;
  }

  /**
   * The names of the row id's columns in the plan's relations: {@value #ROW_ID}, and for a row id
   * of several columns that name with each column's own ({@code _conform_rowid_file}).
   */
  private static List<String> rowIdNames(DialectRenderer r) {
    List<Column> id = r.rowId();
    return id.stream()
        .map(c -> id.size() == 1 ? ROW_ID : ROW_ID + "_" + c.name().replaceFirst("^_+", ""))
        .toList();
  }

  /** What the journal keeps (see the class comment), in words. */
  String journalLayout() {
    return tieBreakerColumns()
        .map(
            columns ->
                "the events versions cannot show"
                    + (columns.isEmpty() ? "" : ", with tie-breakers in columns " + columns))
        .orElse("every event");
  }

  /**
   * The payload columns that hold the tie-breakers' values, when every tie-breaker is one: then a
   * version made of a single event gives that event back, and the journal need not keep it.
   */
  private Optional<List<String>> tieBreakerColumns() {
    List<String> columns = new ArrayList<>();
    for (int i = 0; i < dimension.tieBreakerTypes().size(); i++) {
      Optional<String> column = stream.tieBreakerColumn(i);
      if (column.isEmpty()) {
        return Optional.empty();
      }
      columns.add(column.get());
    }
    return Optional.of(columns);
  }

  /** Versions on the stack seen as the single upsert events they were made of. */
  private List<RexNode> eventsOfVersions(RelBuilder b, List<String> tieBreakerColumns) {
    List<RexNode> exprs = new ArrayList<>(Relations.fields(b, stream.keyNames()));
    exprs.add(b.field(scd.validFrom()));
    tieBreakerColumns.forEach(c -> exprs.add(b.field(c)));
    exprs.add(b.literal(UPSERT));
    dimension.payload().forEach(c -> exprs.add(b.field(c.name())));
    return exprs;
  }

  private String fromAnchorText(DialectRenderer r, String column) {
    return "(k."
        + r.quote(FROM_SEQUENCE)
        + " IS NULL OR t."
        + r.quote(column)
        + " >= k."
        + r.quote(FROM_SEQUENCE)
        + ")";
  }

  /** Columns that identify a version across rewrites, for the run's counts. */
  private List<String> versionIdentity() {
    List<String> identity = new ArrayList<>(stream.keyNames());
    identity.add(scd.validFrom());
    identity.addAll(dimension.tracked());
    if (scd.deletes() == DeleteMode.TOMBSTONE) {
      identity.add(scd.deletedFlag());
    }
    return identity;
  }

  /**
   * Counts versions by identity (equal columns, NULL equal to NULL), between the replayed versions
   * and the replaced rows they take the place of: the versions inserted, the open ones closed, the
   * rows removed. Same-time events can give a key two versions of one identity, so the counts
   * compare how many rows of each identity there are on each side: an identity with more replayed
   * versions than replaced rows inserts the difference, one with fewer removes it, and the rows
   * after a run are the rows before, plus those inserted, less those removed. One grouping of both
   * relations gives the three counts, so the engine reads them once.
   */
  private void countVersions(
      ModelPlanBuilder plan, RelBuilder b, String versions, String replaced) {
    List<String> identity = versionIdentity();
    sides(b, versions, true, identity);
    sides(b, replaced, false, identity);
    b.union(true, 2);
    Relations.sumBy(b, identity, VERSION_COUNTS);
    RexNode replayedCount = b.field(REPLAYED);
    RexNode replacedCount = b.field(REPLACED);
    RexNode closed = b.field(REPLAYED_CLOSED);
    RexNode open = b.field(REPLACED_OPEN);
    b.aggregate(
        b.groupKey(),
        b.sum(excess(b, replayedCount, replacedCount)).as("inserted"),
        b.sum(b.call(SqlStdOperatorTable.CASE, b.lessThan(closed, open), closed, open))
            .as("closed"),
        b.sum(excess(b, replacedCount, replayedCount)).as("removed"));
    plan.measure(
        "count inserted, closed and removed versions",
        b.build(),
        Metric.ROWS_INSERTED,
        Metric.ROWS_CLOSED,
        Metric.ROWS_DELETED);
  }

  /** {@code CASE WHEN more > less THEN more - less ELSE 0 END}. */
  private static RexNode excess(RelBuilder b, RexNode more, RexNode less) {
    return Relations.valueIf(
        b, b.greaterThan(more, less), b.call(SqlStdOperatorTable.MINUS, more, less));
  }

  /**
   * Pushes the {@code identity} of the rows of {@code table}, a side of {@link #countVersions},
   * with a 1 in the side's columns: every row, and the closed (replayed) or open (replaced) ones.
   */
  private void sides(RelBuilder b, String table, boolean replayed, List<String> identity) {
    b.scan(table);
    RexNode one = b.literal(1);
    RexNode zero = b.literal(0);
    RexNode flag = b.field(scd.currentFlag());
    RexNode state =
        Relations.valueIf(
            b, replayed ? Relations.isFalse(b, flag) : Relations.isTrue(b, flag), one);
    List<RexNode> columns = new ArrayList<>(Relations.fields(b, identity));
    columns.addAll(replayed ? List.of(one, state, zero, zero) : List.of(zero, zero, one, state));
    List<String> names = new ArrayList<>(identity);
    names.addAll(VERSION_COUNTS);
    b.project(columns, names, true);
  }

  /** In a join of rows (left) with the anchors (right): the row's {@code column} is replayed. */
  private RexNode fromAnchor(RelBuilder b, String column) {
    return b.or(
        b.isNull(b.field(2, 1, FROM_SEQUENCE)),
        b.greaterThanOrEqual(b.field(2, 0, column), b.field(2, 1, FROM_SEQUENCE)));
  }

  /** The event columns and the replay's flags: context (before the anchor) and new (batch). */
  private List<RexNode> withFlags(
      RelBuilder b, List<String> columns, boolean context, boolean isNew) {
    List<RexNode> nodes = new ArrayList<>(Relations.fields(b, columns));
    nodes.add(b.literal(context));
    nodes.add(b.literal(isNew));
    return nodes;
  }

  private List<String> replayColumns() {
    List<String> names = new ArrayList<>(stream.eventColumnNames());
    names.add(CONTEXT);
    names.add(NEW);
    return names;
  }

  /** The {@code value} at the event before, in the key's event order. */
  private RexNode lag(RelBuilder b, RexNode value, boolean upsertsOnly) {
    return neighbour(b, SqlStdOperatorTable.LAG, value, upsertsOnly);
  }

  /** The {@code value} at the event after, in the key's event order. */
  private RexNode lead(RelBuilder b, RexNode value, boolean upsertsOnly) {
    return neighbour(b, SqlStdOperatorTable.LEAD, value, upsertsOnly);
  }

  private RexNode neighbour(
      RelBuilder b, SqlAggFunction function, RexNode value, boolean upsertsOnly) {
    return b.aggregateCall(function, value)
        .over()
        .partitionBy(Relations.fields(b, stream.keyNames()))
        .orderBy(stream.eventOrder(b, false, upsertsOnly))
        .toRex();
  }

  /**
   * Columns compared with a neighbour's as one value, called {@code name}: the row of them where
   * the dialect compares rows (one window call instead of one per column), else a single column.
   */
  private record Compared(String name, List<String> columns) {
    static List<Compared> of(DialectRenderer r, String name, List<String> columns) {
      if (r.comparesRows() && columns.size() > 1) {
        return List.of(new Compared(name, columns));
      }
      return columns.stream().map(c -> new Compared(c, List.of(c))).toList();
    }

    RexNode value(RelBuilder b) {
      return columns.size() == 1
          ? b.field(columns.get(0))
          : b.call(SqlStdOperatorTable.ROW, Relations.fields(b, columns));
    }
  }

  /**
   * Marks each replayed event: does it open its group, is it the last of its group, is it an exact
   * duplicate of the event before it, and must the journal keep it. One window pass, one sort. The
   * {@code leftOut} replay columns are not kept.
   */
  private RelNode boundaries(
      RelBuilder b,
      DialectRenderer r,
      String replay,
      boolean upsertsOnly,
      Collection<String> leftOut) {
    List<String> replayColumns = replayColumns();
    List<String> trackedColumns = dimension.tracked();
    List<String> untracked = new ArrayList<>();
    dimension.payload().stream()
        .map(BoundDimension.OutputColumn::name)
        .filter(c -> !trackedColumns.contains(c))
        .forEach(untracked::add);
    // What an exact duplicate shares with the event before it, beyond what opensAfter compares.
    // Among upserts, a tie-breaker held by a payload column is compared with that column (a
    // delete's payload is NULL, so among deletes it is not).
    List<String> identicalColumns = new ArrayList<>();
    List<String> tieBreakers = stream.tieBreakerNames();
    for (int i = 0; i < tieBreakers.size(); i++) {
      if (!upsertsOnly || stream.tieBreakerColumn(i).isEmpty()) {
        identicalColumns.add(tieBreakers.get(i));
      }
    }
    identicalColumns.addAll(untracked);
    List<Compared> tracked = Compared.of(r, TRACKED_ROW, trackedColumns);
    List<Compared> identical = Compared.of(r, IDENTICAL_ROW, identicalColumns);

    // 1. Neighbours of each event in its key's order.
    b.scan(replay);
    List<RexNode> exprs = new ArrayList<>(Relations.fields(b, replayColumns));
    List<String> names = new ArrayList<>(replayColumns);
    exprs.add(lag(b, b.field(SEQUENCE), upsertsOnly));
    names.add(PREVIOUS + SEQUENCE);
    exprs.add(lead(b, b.field(SEQUENCE), upsertsOnly));
    names.add(NEXT_SEQUENCE);
    // The marks read a neighbour's operation only where the neighbour exists: with upserts only,
    // it is known.
    exprs.add(upsertsOnly ? b.literal(UPSERT) : lag(b, b.field(OPERATION), false));
    names.add(PREVIOUS + OPERATION);
    exprs.add(upsertsOnly ? b.literal(UPSERT) : lead(b, b.field(OPERATION), false));
    names.add(NEXT + OPERATION);
    for (Compared c : tracked) {
      exprs.add(lag(b, c.value(b), upsertsOnly));
      names.add(PREVIOUS + c.name());
      exprs.add(lead(b, c.value(b), upsertsOnly));
      names.add(NEXT + c.name());
    }
    for (Compared c : identical) {
      exprs.add(lag(b, c.value(b), upsertsOnly));
      names.add(PREVIOUS + c.name());
    }
    b.project(exprs, names, true);
    // Always true; a condition on a window column makes Calcite render the window in its own
    // subquery instead of inlining each window call into the next projection's CASE expressions,
    // where it would be computed several times.
    b.filter(
        b.or(b.isNull(b.field(PREVIOUS + SEQUENCE)), b.isNotNull(b.field(PREVIOUS + SEQUENCE))));

    // 2. The marks.
    RexNode first = b.isNull(b.field(PREVIOUS + SEQUENCE));
    RexNode opens =
        b.call(SqlStdOperatorTable.CASE, first, b.literal(true), opensAfter(b, PREVIOUS, tracked));
    RexNode last =
        b.call(
            SqlStdOperatorTable.CASE,
            b.isNull(b.field(NEXT_SEQUENCE)),
            b.literal(true),
            opensAfter(b, NEXT, tracked));
    List<RexNode> same = new ArrayList<>();
    same.add(b.equals(b.field(PREVIOUS + SEQUENCE), b.field(SEQUENCE)));
    same.add(Relations.notDistinct(b, b.field(PREVIOUS + OPERATION), b.field(OPERATION)));
    for (Compared c : both(tracked, identical)) {
      same.add(Relations.notDistinct(b, b.field(PREVIOUS + c.name()), c.value(b)));
    }
    RexNode duplicate = b.call(SqlStdOperatorTable.CASE, first, b.literal(false), b.and(same));
    // The journal keeps what the versions cannot give back: events of groups of several, events
    // sharing their key and sequence with another, deletes; every event when a tie-breaker is not
    // a column of the target.
    RexNode journal =
        tieBreakerColumns().isEmpty()
            ? b.literal(true)
            : b.call(
                SqlStdOperatorTable.CASE,
                b.equals(b.field(OPERATION), b.literal(DELETE)),
                b.literal(true),
                Relations.isTrue(b, b.equals(b.field(PREVIOUS + SEQUENCE), b.field(SEQUENCE))),
                b.literal(true),
                Relations.isTrue(b, b.equals(b.field(NEXT_SEQUENCE), b.field(SEQUENCE))),
                b.literal(true),
                b.not(b.and(opens, last)));
    names = new ArrayList<>(replayColumns);
    names.removeAll(leftOut);
    exprs = new ArrayList<>(Relations.fields(b, names));
    exprs.add(opens);
    names.add(OPENS);
    exprs.add(last);
    names.add(LAST);
    exprs.add(duplicate);
    names.add(DUPLICATE);
    exprs.add(journal);
    names.add(JOURNAL);
    exprs.add(b.field(NEXT_SEQUENCE));
    names.add(NEXT_SEQUENCE);
    b.project(exprs, names, true);
    return b.build();
  }

  /**
   * The versions, from the boundary events: a group of one event is its own first and last; a
   * longer group's last event finds its first with one more window over the (few) such events.
   * {@code oneWindow}: that window runs over every group instead, where the engine computes it
   * without sorting again and the boundaries are read only once (see {@link
   * DialectRenderer#tallies}).
   */
  private RelNode versions(
      RelBuilder b, String boundaries, boolean upsertsOnly, boolean oneWindow) {
    List<String> carried = replayColumns();
    carried.add(OPENS);
    carried.add(LAST);
    carried.add(NEXT_SEQUENCE);
    List<String> fromFirst = new ArrayList<>();
    fromFirst.add(SEQUENCE);
    fromFirst.add(CONTEXT);
    fromFirst.addAll(stream.tieBreakerNames());

    if (!oneWindow) {
      b.scan(boundaries);
      b.filter(Relations.isTrue(b, b.field(OPENS)), Relations.isTrue(b, b.field(LAST)));
      List<RexNode> exprs = new ArrayList<>(Relations.fields(b, carried));
      List<String> names = new ArrayList<>(carried);
      for (String column : fromFirst) {
        exprs.add(b.field(column));
        names.add(GROUP + column);
      }
      b.project(exprs, names, true);
      shapeVersions(b);
    }

    b.scan(boundaries);
    RexNode opensOrLast =
        b.or(Relations.isTrue(b, b.field(OPENS)), Relations.isTrue(b, b.field(LAST)));
    if (oneWindow) {
      b.filter(opensOrLast);
    } else {
      b.filter(
          opensOrLast,
          b.not(b.and(Relations.isTrue(b, b.field(OPENS)), Relations.isTrue(b, b.field(LAST)))));
    }
    List<RexNode> exprs = new ArrayList<>(Relations.fields(b, carried));
    List<String> names = new ArrayList<>(carried);
    for (String column : fromFirst) {
      exprs.add(
          b.call(
              SqlStdOperatorTable.CASE,
              Relations.isTrue(b, b.field(OPENS)),
              b.field(column),
              lag(b, b.field(column), upsertsOnly)));
      names.add(GROUP + column);
    }
    b.project(exprs, names, true);
    shapeVersions(b);
    if (!oneWindow) {
      b.union(true, 2);
    }
    return b.build();
  }

  /** Keeps the groups that are versions and shapes them like the target. */
  private void shapeVersions(RelBuilder b) {
    b.filter(Relations.isTrue(b, b.field(LAST)), Relations.isFalse(b, b.field(GROUP + CONTEXT)));
    if (scd.deletes() != DeleteMode.TOMBSTONE) {
      b.filter(b.equals(b.field(OPERATION), b.literal(UPSERT)));
    }
    List<RexNode> exprs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    if (dimension.spec().surrogateKey().isPresent()) {
      List<RexNode> identity = new ArrayList<>(Relations.fields(b, stream.keyNames()));
      identity.add(b.field(GROUP + SEQUENCE));
      stream.tieBreakerNames().forEach(tb -> identity.add(b.field(GROUP + tb)));
      identity.add(b.field(OPERATION));
      dimension.tracked().forEach(c -> identity.add(b.field(c)));
      exprs.add(Relations.hash64(b, identity));
      names.add(dimension.spec().surrogateKey().get().name());
    }
    for (String key : stream.keyNames()) {
      exprs.add(b.field(key));
      names.add(key);
    }
    for (BoundDimension.OutputColumn column : dimension.payload()) {
      exprs.add(b.field(column.name()));
      names.add(column.name());
    }
    exprs.add(b.field(GROUP + SEQUENCE));
    names.add(scd.validFrom());
    RexNode next = b.field(NEXT_SEQUENCE);
    exprs.add(
        scd.endOfTime().isPresent()
            ? b.call(SqlStdOperatorTable.COALESCE, next, endOfTime(b))
            : next);
    names.add(scd.validTo());
    exprs.add(b.isNull(b.field(NEXT_SEQUENCE)));
    names.add(scd.currentFlag());
    if (scd.deletes() == DeleteMode.TOMBSTONE) {
      exprs.add(b.equals(b.field(OPERATION), b.literal(DELETE)));
      names.add(scd.deletedFlag());
    }
    b.project(exprs, names, true);
  }

  /**
   * Whether the current event starts a group after its neighbour, whose columns carry {@code
   * prefix}: it differs in operation, or both are upserts with different tracked columns.
   */
  private static RexNode opensAfter(RelBuilder b, String prefix, List<Compared> tracked) {
    List<RexNode> differs = new ArrayList<>();
    for (Compared c : tracked) {
      differs.add(b.not(Relations.notDistinct(b, c.value(b), b.field(prefix + c.name()))));
    }
    return b.call(
        SqlStdOperatorTable.CASE,
        b.notEquals(b.field(OPERATION), b.field(prefix + OPERATION)),
        b.literal(true),
        b.equals(b.field(OPERATION), b.literal(DELETE)),
        b.literal(false),
        differs.isEmpty() ? b.literal(false) : b.or(differs));
  }

  private RexNode endOfTime(RelBuilder b) {
    String text = scd.endOfTime().orElseThrow().trim();
    RelDataType type = CalciteTypes.toCalcite(b.getTypeFactory(), dimension.sequenceType(), false);
    return switch (dimension.sequenceType().kind()) {
      case DATE -> b.getRexBuilder().makeDateLiteral(new DateString(text));
      case TIMESTAMP ->
          b.getRexBuilder().makeTimestampLiteral(ExpressionTranslator.timestampString(text), 0);
      default -> b.getRexBuilder().makeExactLiteral(new BigDecimal(text), type);
    };
  }

  private static <T> List<T> both(List<T> first, List<T> second) {
    List<T> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }
}
