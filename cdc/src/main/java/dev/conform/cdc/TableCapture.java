package dev.conform.cdc;

import dev.conform.dsl.CdcSpec;
import dev.conform.dsl.Lookback;
import dev.conform.spi.Column;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A table read whole every run, or, with {@code cdc: { strategy: audit_column }}, only the rows
 * whose audit column passed the mark the last committed run stored (less the lookback). The mark is
 * kept with what it was read from (column, table and connection), so that a source pointed
 * elsewhere starts over instead of skipping rows.
 */
final class TableCapture implements ChangeCapture {
  private final SourceRequest request;
  private final Optional<CdcSpec> cdc;

  TableCapture(SourceRequest request, Optional<CdcSpec> cdc) {
    this.request = request;
    this.cdc = cdc.filter(c -> c.strategy().name().equals(CdcSpec.AUDIT_COLUMN));
  }

  @Override
  public List<Column> describe() {
    return TableExtractor.describe(request, audit(Map.of(), true));
  }

  @Override
  public Capture capture(CaptureRequest capture) {
    Optional<AuditColumn> audit = audit(capture.state(), capture.fullRefresh());
    Extracted extracted =
        TableExtractor.extract(request, audit, capture.landing(), capture.progress());
    Map<String, String> state = new LinkedHashMap<>();
    audit.ifPresent(a -> state.put(columnKey(), origin(a.column())));
    extracted.mark().ifPresent(m -> state.put(markKey(), m));
    String from =
        "from table "
            + request.table()
            + audit
                .map(a -> a.mark().map(m -> " past " + a.column() + " " + m).orElse(" (all)"))
                .orElse(" (whole table)");
    return new Capture(extracted, from, state);
  }

  /**
   * The audit column the cdc names, with its lookback and the mark in {@code state} (none on a full
   * refresh, or when the mark was read from another column, table or connection); empty when the
   * table is read whole.
   */
  private Optional<AuditColumn> audit(Map<String, String> state, boolean fullRefresh) {
    if (cdc.isEmpty()) {
      return Optional.empty();
    }
    String column = cdc.get().setting("column").orElseThrow().value();
    boolean sameOrigin = origin(column).equals(state.get(columnKey()));
    Optional<String> mark =
        fullRefresh || !sameOrigin ? Optional.empty() : Optional.ofNullable(state.get(markKey()));
    Lookback lookback =
        cdc.get()
            .setting("lookback")
            .map(s -> Lookback.parse(s.value()).orElseThrow())
            .orElse(Lookback.NONE);
    return Optional.of(
        lookback instanceof Lookback.Time time
            ? new AuditColumn(column, time.duration(), BigDecimal.ZERO, mark)
            : new AuditColumn(
                column,
                Duration.ZERO,
                BigDecimal.valueOf(((Lookback.Amount) lookback).amount()),
                mark));
  }

  /** What a mark was read from: the column, the table and the connection (without password). */
  private String origin(String column) {
    return column + " of table " + request.table() + " through " + request.connection();
  }

  private String columnKey() {
    return "audit column:" + request.source();
  }

  private String markKey() {
    return "audit mark:" + request.source();
  }
}
