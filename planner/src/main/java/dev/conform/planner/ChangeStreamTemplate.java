package dev.conform.planner;

import dev.conform.dsl.CheckFailureMode;
import dev.conform.dsl.DeleteMode;
import dev.conform.dsl.Expression;
import dev.conform.spi.Column;
import dev.conform.spi.DataType;
import dev.conform.spi.Metric;
import dev.conform.spi.SourceData;
import dev.conform.spi.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.RelBuilder;

/**
 * Turns a source load into the normalized change stream of a model (DESIGN §4): key, sequence,
 * tie-breakers, operation and payload. Rows that cannot be keyed or sequenced, or fail a check, go
 * to the model's reject table; exact duplicates and events already applied are dropped.
 *
 * <p>Column names in the stream: the key columns, {@value #SEQUENCE}, {@value #TIE_BREAKER}N,
 * {@value #OPERATION} ({@code 'U'} upsert or {@code 'D'} delete), then the payload columns.
 */
final class ChangeStreamTemplate {
  static final String SEQUENCE = "_conform_seq";
  static final String TIE_BREAKER = "_conform_tb";
  static final String OPERATION = "_conform_op";
  static final String UPSERT = "U";
  static final String DELETE = "D";
  private static final String REASON = "_conform_reason";
  private static final String CHECK = "_conform_check";
  private static final String KEEP = "_conform_keep";
  private static final String RAW = "_conform_raw_";

  /** The staged rows' flag of a row to reject, where the rejects wait for a later statement. */
  private static final String REJECTED = "_conform_rejected";

  /** The tally of the staged rows to reject (see {@link Batch}). */
  private static final String REJECTED_TALLY = "rows_rejected";

  /** The tally of the rows loaded, when a later statement counts them. */
  private static final String LOADED_TALLY = "rows_loaded";

  private final BoundDimension dimension;
  private final ModelTables tables;

  ChangeStreamTemplate(BoundDimension dimension) {
    this.dimension = dimension;
    this.tables = new ModelTables(dimension.name());
  }

  /** The columns of the change stream, which are also the journal's columns. */
  List<Column> eventColumns() {
    List<Column> columns = new ArrayList<>(dimension.keys());
    columns.add(Column.of(SEQUENCE, dimension.sequenceType()));
    for (int i = 0; i < dimension.tieBreakerTypes().size(); i++) {
      columns.add(Column.of(TIE_BREAKER + i, dimension.tieBreakerTypes().get(i)));
    }
    columns.add(Column.of(OPERATION, DataType.STRING));
    dimension.payload().forEach(c -> columns.add(c.column()));
    return columns;
  }

  /** The leading columns of every target: surrogate key (if any), business key, payload. */
  List<Column> keyAndPayloadColumns() {
    List<Column> columns = new ArrayList<>();
    dimension
        .spec()
        .surrogateKey()
        .ifPresent(sk -> columns.add(Column.of(sk.name(), DataType.BIGINT)));
    columns.addAll(dimension.keys());
    dimension.payload().forEach(c -> columns.add(c.column()));
    return columns;
  }

  List<String> eventColumnNames() {
    return eventColumns().stream().map(Column::name).toList();
  }

  List<String> keyNames() {
    return dimension.keys().stream().map(Column::name).toList();
  }

  List<String> tieBreakerNames() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < dimension.tieBreakerTypes().size(); i++) {
      names.add(TIE_BREAKER + i);
    }
    return names;
  }

  /**
   * The order of a key's events: sequence, tie-breakers, operation ('D' before 'U'), tracked
   * columns, other columns; NULLs first. Total for distinct events, so results never depend on
   * arrival order. {@code descending} gives the exact reverse.
   *
   * <p>Columns that cannot change the order are left out, which makes the engine's sort narrower:
   * the operation when {@code upsertsOnly} (every ordered event is an upsert), and payload columns
   * that hold a tie-breaker's value: among events of equal tie-breakers and operation, such a
   * column is that value (upserts) or NULL (deletes).
   */
  List<RexNode> eventOrder(RelBuilder b, boolean descending, boolean upsertsOnly) {
    List<String> columns = new ArrayList<>();
    columns.add(SEQUENCE);
    columns.addAll(tieBreakerNames());
    if (!upsertsOnly) {
      columns.add(OPERATION);
    }
    List<String> tieBreakerValues = new ArrayList<>();
    for (int i = 0; i < dimension.tieBreakerTypes().size(); i++) {
      tieBreakerColumn(i).ifPresent(tieBreakerValues::add);
    }
    dimension.trackedFirst().stream()
        .map(BoundDimension.OutputColumn::name)
        .filter(c -> !tieBreakerValues.contains(c))
        .forEach(columns::add);
    List<RexNode> order = new ArrayList<>();
    for (String column : columns) {
      RexNode field = b.field(column);
      order.add(descending ? b.nullsLast(b.desc(field)) : b.nullsFirst(field));
    }
    return order;
  }

  /**
   * Whether every event of a batch is an upsert: the source has no deletes, or the dimension
   * ignores them.
   */
  boolean batchHasOnlyUpserts() {
    return dimension.source().deletes().isEmpty()
        || dimension.spec().scd().deletes() == DeleteMode.IGNORE;
  }

  /**
   * The payload column that always holds tie-breaker {@code index}'s value: one computed by the
   * same expression, with the same type, which both are cast to when staged.
   */
  Optional<String> tieBreakerColumn(int index) {
    String text = dimension.spec().scd().tieBreaker().get(index).text().strip();
    DataType type = dimension.tieBreakerTypes().get(index);
    return dimension.payload().stream()
        .filter(c -> c.expression().text().strip().equals(text))
        .filter(c -> c.column().type().equals(type))
        .map(BoundDimension.OutputColumn::name)
        .findFirst();
  }

  /**
   * Creates the permanent tables the model needs: anew on a full refresh; for a first run with a
   * plain {@code CREATE}, so that tables that exist after all fail the run instead of receiving the
   * first run's rows a second time.
   */
  void createTables(ModelPlanBuilder plan, List<Column> targetColumns, Planner.Start start) {
    DialectRenderer r = plan.renderer();
    // A refresh rebuilds all three; it reads every file again, and rejects them again.
    createTable(plan, tables.target(), targetColumns, start);
    createTable(plan, tables.journal(), eventColumns(), start);
    // Rejects only accumulate: a first run may find those of earlier ones.
    createTable(
        plan,
        tables.rejects(),
        rejectColumns(),
        start == Planner.Start.NEW_TABLES ? Planner.Start.INCREMENTAL : start);
    plan.schema().addTable(tables.target(), withRowId(r, targetColumns), true);
    plan.schema().addTable(tables.journal(), withRowId(r, eventColumns()), true);
    plan.schema().addTable(tables.rejects(), rejectColumns(), true);
  }

  /** The columns plus the dialect's row id pseudo columns, which plans may read but not write. */
  private static List<Column> withRowId(DialectRenderer r, List<Column> columns) {
    List<Column> all = new ArrayList<>(columns);
    all.addAll(r.rowId());
    return all;
  }

  private static void createTable(
      ModelPlanBuilder plan, String table, List<Column> columns, Planner.Start start) {
    DialectRenderer r = plan.renderer();
    switch (start) {
      case FULL_REFRESH -> {
        List<String> statements = r.recreateTable(table, columns);
        for (String sql : statements) {
          String verb =
              sql.startsWith("DROP") ? "drop " : statements.size() > 1 ? "create " : "recreate ";
          plan.add(Step.Statement.of(verb + table, sql));
        }
      }
      case NEW_TABLES ->
          plan.add(Step.Statement.of("create " + table, r.createNewTable(table, columns)));
      case INCREMENTAL ->
          plan.add(Step.Statement.of("create " + table, r.createTable(table, columns)));
    }
  }

  static List<Column> rejectColumns() {
    return List.of(
        Column.of("run_id", DataType.BIGINT),
        Column.of("origin", DataType.STRING),
        Column.of("reason", DataType.STRING),
        Column.of("record", DataType.STRING));
  }

  /**
   * The batch's events, in the temporary relation {@code events}. When {@code tallies} are given,
   * the rows loaded are not counted yet, and the staged rows that cannot be used are not rejected
   * yet: the statement that reads {@code events} must count both with these tallies, in this order,
   * and {@link #rejectStaged} keep the rejects after it.
   */
  record Batch(String events, List<Step.Tally> tallies) {
    Batch {
      tallies = List.copyOf(tallies);
    }

    /** Whether the staged rows to reject wait for the statement that counts them. */
    boolean rejectsWait() {
      return !tallies.isEmpty();
    }
  }

  /**
   * Loads the source, stages it, rejects what cannot be used, and leaves the batch's events (exact
   * duplicates and events applied before included) in a temporary relation.
   *
   * <p>{@code rejectLater}: the runtime counts tallies while a statement runs, and one statement
   * reads the batch's events once. Counting the rows loaded and rejecting first would each read the
   * source an extra time (on Spark, 4% of a first run each); instead that statement counts the
   * loaded rows and the rejected ones as it reads them, and the rejects are written after it, only
   * when there are some.
   */
  Batch batchEvents(ModelPlanBuilder plan, SourceData data, long runId, boolean rejectLater) {
    RelBuilder b = plan.schema().builder();
    String raw = tables.temp("raw");
    String rawRejects = tables.temp("raw_rejects");
    plan.add(
        new Step.LoadSource(
            "load source " + dimension.source().name().name(),
            dimension.source().name().name(),
            data,
            dimension.sourceColumns(),
            raw,
            rawRejects,
            rejectLater ? Optional.of(LOADED_TALLY) : Optional.empty()));
    List<Column> rawColumns = new ArrayList<>(dimension.sourceColumns());
    rawColumns.add(Column.of(Step.LoadSource.ORIGIN_COLUMN, DataType.STRING));
    plan.schema().addTable(raw, rawColumns, true);
    plan.schema()
        .addTable(
            rawRejects,
            List.of(
                Column.of(Step.LoadSource.ORIGIN_COLUMN, DataType.STRING),
                Column.of(Step.LoadSource.REASON_COLUMN, DataType.STRING),
                Column.of(Step.LoadSource.RECORD_COLUMN, DataType.STRING)),
            true);

    b.scan(rawRejects);
    b.project(
        b.literal(runId),
        b.field(Step.LoadSource.ORIGIN_COLUMN),
        b.field(Step.LoadSource.REASON_COLUMN),
        b.field(Step.LoadSource.RECORD_COLUMN));
    // An empty insert still commits (on Spark, a snapshot of the table): skip it.
    plan.insert(
        "reject rows that do not convert",
        tables.rejects(),
        names(rejectColumns()),
        b.build(),
        null,
        statement -> statement.withOnlyIf(Step.LoadSource.REJECTED_TALLY));

    String staged = tables.temp("staged");
    plan.createView("stage " + dimension.name(), staged, staged(b, raw, rejectLater));
    List<Step.Tally> tallies = new ArrayList<>();
    if (rejectLater) {
      // The loaded rows first: the staged ones read them.
      tallies.add(plan.tally(LOADED_TALLY, Metric.ROWS_READ, raw, Map.of()));
      tallies.add(plan.tally(REJECTED_TALLY, Metric.ROWS_REJECTED, staged, Map.of(REJECTED, true)));
    } else {
      rejectStaged(plan, runId, false);
    }

    CheckFailureMode mode = dimension.spec().onCheckFailure();
    if (!dimension.spec().checks().isEmpty() && mode != CheckFailureMode.QUARANTINE) {
      b.scan(staged);
      b.filter(b.isNull(b.field(REASON)), b.isNotNull(b.field(CHECK)));
      Relations.countRows(b);
      if (mode == CheckFailureMode.FAIL) {
        plan.expect(
            "checks of " + dimension.name(),
            b.build(),
            "{count} row(s) of source '"
                + dimension.source().name().name()
                + "' failed a check of dimension '"
                + dimension.name()
                + "' (on_check_failure: fail); nothing was changed");
      } else {
        plan.measure("count rows failing a check", b.build(), Metric.ROWS_WARNED);
      }
    }

    // New events: the batch's distinct events less those the journal has for the same keys.
    String batch = tables.temp("batch");
    b.scan(staged);
    b.filter(b.isNull(b.field(REASON)));
    if (dimension.spec().scd().deletes() == DeleteMode.IGNORE) {
      b.filter(b.equals(b.field(OPERATION), b.literal(UPSERT)));
    }
    b.project(Relations.fields(b, eventColumnNames()));
    plan.createView("collect the batch's events", batch, b.build());
    return new Batch(batch, tallies);
  }

  /**
   * Writes the staged rows without key or sequence, or failing a check, to the reject table; {@code
   * tallied}: only when an earlier statement's tally {@value #REJECTED_TALLY} found some, which has
   * counted them already.
   */
  void rejectStaged(ModelPlanBuilder plan, long runId, boolean tallied) {
    RelBuilder b = plan.schema().builder();
    b.scan(tables.temp("staged"));
    b.filter(b.isNotNull(b.field(REASON)));
    b.project(
        b.literal(runId),
        b.field(Step.LoadSource.ORIGIN_COLUMN),
        b.field(REASON),
        b.field(Step.LoadSource.RECORD_COLUMN));
    String description = "reject rows without key or sequence, or failing a check";
    List<String> columns = names(rejectColumns());
    if (tallied) {
      plan.insert(
          description,
          tables.rejects(),
          columns,
          b.build(),
          null,
          statement -> statement.withOnlyIf(REJECTED_TALLY));
    } else {
      plan.insert(description, tables.rejects(), columns, b.build(), Metric.ROWS_REJECTED);
    }
  }

  /**
   * The batch's distinct events less those the journal holds for the same keys, in the temporary
   * table {@code new_events}, counted as the run's new events. Returns that table's name.
   */
  String newEvents(ModelPlanBuilder plan, String batch) {
    RelBuilder b = plan.schema().builder();
    pushUnapplied(b, batch, tables.journal());
    b.distinct();
    String newEvents = tables.temp("new_events");
    plan.createTemp("find events not applied before", newEvents, b.build());

    b.scan(newEvents);
    Relations.countRows(b);
    plan.measure("count new events", b.build(), Metric.EVENTS_NEW);
    return newEvents;
  }

  /**
   * Pushes the events of {@code batch} that {@code applied} (whose columns start with the event
   * columns) does not hold, exact duplicates in the batch included. An outer join on the hashable
   * columns keeping the unmatched rows: as {@code NOT EXISTS}, DuckDB first made the batch's events
   * distinct, 4.5 s of a 20M-row initial load against nothing.
   */
  void pushUnapplied(RelBuilder b, String batch, String applied) {
    List<String> events = eventColumnNames();
    List<String> hashable = new ArrayList<>(keyNames());
    hashable.add(SEQUENCE);
    List<String> rest = new ArrayList<>(events);
    rest.removeAll(hashable);
    b.scan(batch);
    b.scan(applied);
    b.join(
        JoinRelType.LEFT,
        b.and(Relations.columnsEqual(b, hashable), Relations.columnsNotDistinct(b, rest)));
    // The applied event's first key column: never NULL when there is a match.
    b.filter(b.isNull(b.field(events.size() + events.indexOf(keyNames().get(0)))));
    b.project(Relations.fields(b, events));
  }

  /** The staged rows; {@code flagRejected}: with the flag {@value #REJECTED}. */
  private RelNode staged(RelBuilder b, String raw, boolean flagRejected) {
    b.scan(raw);
    List<dev.conform.dsl.Diagnostic> diagnostics = new ArrayList<>();
    ExpressionTranslator t =
        new ExpressionTranslator(
            b, "source '" + dimension.source().name().name() + "'", diagnostics);

    Optional<RexNode> isDelete =
        dimension.source().deletes().map(d -> translate(t, d, diagnostics));
    List<RexNode> exprs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Column key : dimension.keys()) {
      exprs.add(b.field(key.name()));
      names.add(key.name());
    }
    RexNode sequence = translate(t, dimension.spec().scd().sequenceBy(), diagnostics);
    exprs.add(sequence);
    names.add(SEQUENCE);
    List<Expression> tieBreakers = dimension.spec().scd().tieBreaker();
    for (int i = 0; i < tieBreakers.size(); i++) {
      // Cast like a payload column, so one computed by the same expression holds the same value
      // (see tieBreakerColumn) even where the engine types the expression differently.
      RelDataType type =
          CalciteTypes.toCalcite(b.getTypeFactory(), dimension.tieBreakerTypes().get(i), true);
      exprs.add(
          b.getRexBuilder().makeCast(type, translate(t, tieBreakers.get(i), diagnostics), true));
      names.add(TIE_BREAKER + i);
    }
    RexNode operation =
        isDelete
            .map(d -> b.call(SqlStdOperatorTable.CASE, d, b.literal(DELETE), b.literal(UPSERT)))
            .orElse(b.literal(UPSERT));
    exprs.add(operation);
    names.add(OPERATION);
    for (BoundDimension.OutputColumn column : dimension.payload()) {
      RexNode value = translate(t, column.expression(), diagnostics);
      RelDataType type = CalciteTypes.toCalcite(b.getTypeFactory(), column.column().type(), true);
      value = b.getRexBuilder().makeCast(type, value, true);
      if (isDelete.isPresent()) {
        value =
            b.call(
                SqlStdOperatorTable.CASE,
                isDelete.get(),
                b.getRexBuilder().makeNullLiteral(type),
                value);
      }
      exprs.add(value);
      names.add(column.name());
    }
    exprs.add(b.field(Step.LoadSource.ORIGIN_COLUMN));
    names.add(Step.LoadSource.ORIGIN_COLUMN);
    List<String> streamColumns = new ArrayList<>(names);
    // The source row as it came, for the record text of rejected rows.
    for (Column column : dimension.sourceColumns()) {
      exprs.add(b.field(column.name()));
      names.add(RAW + column.name());
    }
    // where filters upserts only: deletes pass, and rows without key or sequence are rejected.
    RexNode keep =
        dimension
            .spec()
            .where()
            .map(w -> translate(t, w, diagnostics))
            .map(
                w ->
                    isDelete.isPresent()
                        ? b.call(SqlStdOperatorTable.CASE, isDelete.get(), b.literal(true), w)
                        : w)
            .orElse(b.literal(true));
    exprs.add(keep);
    names.add(KEEP);
    // Checks read the output columns, and the source columns no output shadows.
    for (Column column :
        Binder.checkedColumns(dimension.sourceColumns(), dimension.keys(), dimension.payload())) {
      if (!names.contains(column.name())) {
        exprs.add(b.field(column.name()));
        names.add(column.name());
      }
    }
    b.project(exprs, names, true);

    exprs = new ArrayList<>(Relations.fields(b, streamColumns));
    names = new ArrayList<>(streamColumns);
    ExpressionTranslator checks =
        new ExpressionTranslator(b, "dimension '" + dimension.name() + "'", diagnostics);
    RexNode isDeleteEvent = b.equals(b.field(OPERATION), b.literal(DELETE));
    List<RexNode> reasonCase = new ArrayList<>();
    for (Column k : dimension.keys()) {
      reasonCase.add(b.isNull(b.field(k.name())));
      reasonCase.add(b.literal("business key column '" + k.name() + "' is null"));
    }
    reasonCase.add(b.isNull(b.field(SEQUENCE)));
    reasonCase.add(
        b.literal("sequence '" + dimension.spec().scd().sequenceBy().text() + "' is null"));
    List<RexNode> checkCase = new ArrayList<>();
    if (isDelete.isPresent() && !dimension.spec().checks().isEmpty()) {
      checkCase.add(isDeleteEvent);
      checkCase.add(
          b.getRexBuilder()
              .makeNullLiteral(
                  b.getTypeFactory()
                      .createSqlType(org.apache.calcite.sql.type.SqlTypeName.VARCHAR)));
    }
    for (Expression check : dimension.spec().checks()) {
      checkCase.add(b.not(translate(checks, check, diagnostics)));
      checkCase.add(b.literal("check failed: " + check.text()));
    }
    RexNode failedCheck = caseOrNull(b, checkCase);
    if (!dimension.spec().checks().isEmpty()
        && dimension.spec().onCheckFailure() == CheckFailureMode.QUARANTINE) {
      reasonCase.add(b.isNotNull(failedCheck));
      reasonCase.add(failedCheck);
    }
    exprs.add(caseOrNull(b, reasonCase));
    names.add(REASON);
    exprs.add(failedCheck);
    names.add(CHECK);
    // Built only for rejected rows: it is the costliest expression here.
    RexNode reason = exprs.get(names.indexOf(REASON));
    RexNode record = recordText(b);
    exprs.add(
        b.call(
            SqlStdOperatorTable.CASE,
            b.isNotNull(reason),
            record,
            b.getRexBuilder().makeNullLiteral(record.getType())));
    names.add(Step.LoadSource.RECORD_COLUMN);
    exprs.add(b.field(KEEP));
    names.add(KEEP);
    if (!diagnostics.isEmpty()) {
      throw new IllegalStateException("Bug: a bound dimension failed to translate: " + diagnostics);
    }
    b.project(exprs, names, true);
    b.filter(b.or(b.isNotNull(b.field(REASON)), Relations.isTrue(b, b.field(KEEP))));
    names.remove(KEEP);
    exprs = new ArrayList<>(Relations.fields(b, names));
    if (flagRejected) {
      exprs.add(b.isNotNull(b.field(REASON)));
      names.add(REJECTED);
    }
    b.project(exprs, names);
    return b.build();
  }

  private static RexNode caseOrNull(RelBuilder b, List<RexNode> whenThen) {
    RelDataType varchar =
        b.getTypeFactory()
            .createTypeWithNullability(
                b.getTypeFactory().createSqlType(org.apache.calcite.sql.type.SqlTypeName.VARCHAR),
                true);
    if (whenThen.isEmpty()) {
      return b.getRexBuilder().makeNullLiteral(varchar);
    }
    List<RexNode> operands = new ArrayList<>();
    for (int i = 0; i < whenThen.size(); i += 2) {
      operands.add(whenThen.get(i));
      operands.add(b.getRexBuilder().makeCast(varchar, whenThen.get(i + 1), true));
    }
    operands.add(b.getRexBuilder().makeNullLiteral(varchar));
    return b.call(SqlStdOperatorTable.CASE, operands);
  }

  /** {@code col=value, col=value, ...} of the source row, for the reject table. */
  private RexNode recordText(RelBuilder b) {
    RelDataType varchar =
        b.getTypeFactory()
            .createTypeWithNullability(
                b.getTypeFactory().createSqlType(org.apache.calcite.sql.type.SqlTypeName.VARCHAR),
                true);
    RexNode result = null;
    for (Column column : dimension.sourceColumns()) {
      RexNode value =
          b.call(
              SqlStdOperatorTable.COALESCE,
              b.getRexBuilder().makeCast(varchar, b.field(RAW + column.name()), true),
              b.literal("null"));
      RexNode part =
          b.call(
              SqlStdOperatorTable.CONCAT,
              b.literal((result == null ? "" : ", ") + column.name() + "="),
              value);
      result = result == null ? part : b.call(SqlStdOperatorTable.CONCAT, result, part);
    }
    return result == null ? b.literal("") : result;
  }

  private static RexNode translate(
      ExpressionTranslator t, Expression expression, List<dev.conform.dsl.Diagnostic> sink) {
    return t.translate(expression.ast())
        .orElseThrow(
            () -> new IllegalStateException("Bug: cannot translate a bound expression: " + sink));
  }

  static List<String> names(List<Column> columns) {
    return columns.stream().map(Column::name).toList();
  }
}
