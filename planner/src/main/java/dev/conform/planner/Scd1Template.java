package dev.conform.planner;

import static dev.conform.planner.ChangeStreamTemplate.DELETE;
import static dev.conform.planner.ChangeStreamTemplate.OPERATION;
import static dev.conform.planner.ChangeStreamTemplate.UPSERT;

import dev.conform.dsl.DeleteMode;
import dev.conform.dsl.ScdSpec;
import dev.conform.spi.Column;
import dev.conform.spi.DataType;
import dev.conform.spi.Metric;
import dev.conform.spi.SourceData;
import dev.conform.spi.Step;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.RelBuilder;

/**
 * SCD Type 1: the state after each key's last event, in the event order Type 2 uses. The journal
 * keeps that last event per key, deletes included, so a late event older than a delete or an update
 * never resurrects or overwrites the key.
 */
final class Scd1Template {
  private static final String ROW_NUMBER = "_conform_rn";
  private static final String UPSERTS = "_conform_upserts";
  private static final String DELETES = "_conform_deletes";
  private static final String HELD = "_conform_held";
  private static final List<String> KEY_COUNTS = List.of(UPSERTS, DELETES, HELD);

  private final BoundDimension dimension;
  private final ChangeStreamTemplate stream;
  private final ModelTables tables;
  private final ScdSpec scd;

  Scd1Template(BoundDimension dimension) {
    this.dimension = dimension;
    this.stream = new ChangeStreamTemplate(dimension);
    this.tables = new ModelTables(dimension.name());
    this.scd = dimension.spec().scd();
  }

  List<Column> targetColumns() {
    List<Column> columns = stream.keyAndPayloadColumns();
    if (scd.deletes() == DeleteMode.TOMBSTONE) {
      columns.add(Column.of(scd.deletedFlag(), DataType.BOOLEAN));
    }
    return columns;
  }

  void plan(ModelPlanBuilder plan, SourceData data, long runId, Planner.Start start) {
    RelBuilder b = plan.schema().builder();
    stream.createTables(plan, targetColumns(), start);
    String newEvents =
        stream.newEvents(plan, stream.batchEvents(plan, data, runId, false).events());
    List<String> keys = stream.keyNames();
    List<String> eventColumns = stream.eventColumnNames();

    // The last event per impacted key, among the new events and the journal's.
    b.scan(newEvents);
    b.scan(tables.journal());
    b.scan(newEvents);
    b.join(JoinRelType.SEMI, Relations.columnsEqual(b, keys));
    b.project(Relations.fields(b, eventColumns));
    b.union(true, 2);
    List<RexNode> exprs = new ArrayList<>(Relations.fields(b, eventColumns));
    exprs.add(
        b.aggregateCall(SqlStdOperatorTable.ROW_NUMBER)
            .over()
            .partitionBy(Relations.fields(b, keys))
            .orderBy(stream.eventOrder(b, true, false))
            .toRex());
    List<String> names = new ArrayList<>(eventColumns);
    names.add(ROW_NUMBER);
    b.project(exprs, names, true);
    b.filter(b.equals(b.field(ROW_NUMBER), b.literal(1)));
    b.project(Relations.fields(b, eventColumns));
    b.scan(tables.journal());
    b.scan(newEvents);
    b.join(JoinRelType.SEMI, Relations.columnsEqual(b, keys));
    b.project(Relations.fields(b, eventColumns));
    b.minus(false);
    String changed = tables.temp("changed");
    plan.createTemp("find each key's new last event", changed, b.build());

    count(plan, b, changed);

    DialectRenderer r = plan.renderer();
    plan.add(
        Step.Statement.of(
            "forget the replaced last events",
            r.deleteMatching(tables.journal(), changed, keys, "")));
    b.scan(changed);
    b.project(Relations.fields(b, eventColumns));
    plan.insert("journal the last events", tables.journal(), eventColumns, b.build(), null);
    plan.add(
        Step.Statement.of(
            "remove the changed rows", r.deleteMatching(tables.target(), changed, keys, "")));
    b.scan(changed);
    if (scd.deletes() != DeleteMode.TOMBSTONE) {
      b.filter(b.equals(b.field(OPERATION), b.literal(UPSERT)));
    }
    List<RexNode> row = new ArrayList<>();
    if (dimension.spec().surrogateKey().isPresent()) {
      row.add(Relations.hash64(b, Relations.fields(b, keys)));
    }
    row.addAll(Relations.fields(b, keys));
    dimension.payload().forEach(c -> row.add(b.field(c.name())));
    if (scd.deletes() == DeleteMode.TOMBSTONE) {
      row.add(b.equals(b.field(OPERATION), b.literal(DELETE)));
    }
    List<String> target = ChangeStreamTemplate.names(targetColumns());
    b.project(row, target, true);
    plan.insert("write the changed rows", tables.target(), target, b.build(), null);
  }

  /**
   * Counts the keys whose new last event is an upsert and that the target does not hold (new) or
   * holds (changed), and those whose new last event is a delete and that it holds (deleted). The
   * target is read once, for the changed keys' rows, and grouped with the changed events by key.
   */
  private void count(ModelPlanBuilder plan, RelBuilder b, String changed) {
    List<String> keys = stream.keyNames();
    RexNode one = b.literal(1);
    RexNode zero = b.literal(0);
    b.scan(changed);
    RexNode operation = b.field(OPERATION);
    List<RexNode> events = new ArrayList<>(Relations.fields(b, keys));
    events.add(Relations.valueIf(b, b.equals(operation, b.literal(UPSERT)), one));
    events.add(Relations.valueIf(b, b.equals(operation, b.literal(DELETE)), one));
    events.add(zero);
    List<String> names = new ArrayList<>(keys);
    names.addAll(KEY_COUNTS);
    b.project(events, names, true);
    b.scan(tables.target());
    b.scan(changed);
    b.join(JoinRelType.SEMI, Relations.columnsEqual(b, keys));
    List<RexNode> held = new ArrayList<>(Relations.fields(b, keys));
    held.addAll(List.of(zero, zero, one));
    b.project(held, names, true);
    b.union(true, 2);
    Relations.sumBy(b, keys, KEY_COUNTS);
    RexNode isHeld = b.greaterThan(b.field(HELD), zero);
    b.aggregate(
        b.groupKey(),
        b.sum(Relations.valueIf(b, b.not(isHeld), b.field(UPSERTS))).as("new_keys"),
        b.sum(Relations.valueIf(b, isHeld, b.field(UPSERTS))).as("changed_keys"),
        b.sum(Relations.valueIf(b, isHeld, b.field(DELETES))).as("deleted_keys"));
    plan.measure(
        "count new, changed and deleted keys",
        b.build(),
        Metric.ROWS_INSERTED,
        Metric.ROWS_UPDATED,
        Metric.ROWS_DELETED);
  }
}
