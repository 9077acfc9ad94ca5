package dev.conform.dsl;

import static java.util.Objects.requireNonNull;

import dev.conform.spi.Column;
import dev.conform.spi.DataType;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a source's changes are captured: {@code cdc: { strategy: audit_column, column: updated_at,
 * lookback: 5m }} in YAML, {@code cdc audit_column (column updated_at, lookback '5m')} in the DSL.
 * The strategy's name and the settings' keys are kept in lower case, since they are keywords;
 * values are kept as written, each with its position, and checked against {@link #SETTINGS} when
 * the project is validated.
 */
public record CdcSpec(Named strategy, Map<String, CdcSpec.Setting> settings, Position position) {

  /** The strategy that reads rows whose audit column passed the stored high-water mark. */
  public static final String AUDIT_COLUMN = "audit_column";

  /** The strategy that reads a trigger-fed log table since the last processed log id. */
  public static final String CHANGE_LOG = "change_log";

  /**
   * The strategy that reads the database's log: PostgreSQL logical decoding for a table, Debezium
   * change events for files.
   */
  public static final String LOG = "log";

  /** The strategy that compares each full extract with the previous one by key and row hash. */
  public static final String SNAPSHOT_DIFF = "snapshot_diff";

  /** Each strategy with the settings it takes. */
  public static final Map<String, List<String>> SETTINGS =
      Map.of(
          AUDIT_COLUMN, List.of("column", "lookback"),
          CHANGE_LOG,
              List.of("log_table", "id_column", "op_column", "time_column", "purge", "lookback"),
          LOG, List.of("slot", "publication", "timeout"),
          SNAPSHOT_DIFF, List.of());

  /** The strategies, in the order they are listed to users. */
  public static final List<String> STRATEGIES =
      List.of(AUDIT_COLUMN, CHANGE_LOG, LOG, SNAPSHOT_DIFF);

  /**
   * The operation of a change: {@value #INSERT}, {@value #UPDATE} or {@value #DELETE}; a column of
   * every strategy that sees operations.
   */
  public static final String OP_COLUMN = "_cdc_op";

  /** When the change happened at the source (its commit, its log row, its snapshot). */
  public static final String AT_COLUMN = "_cdc_at";

  /** Where the change stands in the source's order of changes: a log id, an LSN, a snapshot. */
  public static final String POSITION_COLUMN = "_cdc_position";

  public static final String INSERT = "insert";
  public static final String UPDATE = "update";
  public static final String DELETE = "delete";

  /**
   * The columns a strategy that sees operations adds to each of its source's rows, after the
   * source's own.
   */
  public static final List<Column> CHANGE_COLUMNS =
      List.of(
          Column.of(OP_COLUMN, DataType.STRING),
          Column.of(AT_COLUMN, DataType.TIMESTAMP),
          Column.of(POSITION_COLUMN, DataType.decimal(38, 0)));

  /** The condition that marks a delete in the change stream of such a strategy. */
  public static final String DELETE_CONDITION = OP_COLUMN + " = '" + DELETE + "'";

  /**
   * True when this strategy gives each row its operation, time and position ({@link
   * #CHANGE_COLUMNS}) and so sees deletes; an audit column sees neither.
   */
  public boolean seesOperations() {
    return !strategy.name().equals(AUDIT_COLUMN) && SETTINGS.containsKey(strategy.name());
  }

  /**
   * True when a column of {@code type} can be an audit column: its values are ordered and can grow
   * with every change (timestamps, dates, whole numbers, decimals; not doubles, whose sums drift).
   */
  public static boolean canBeAuditColumn(DataType type) {
    return type.isTemporal()
        || switch (type.kind()) {
          case INTEGER, BIGINT, DECIMAL -> true;
          default -> false;
        };
  }

  /**
   * One setting's value as written (a scalar, as text), where its key is, and where its value is.
   */
  public record Setting(String value, Position keyPosition, Position position) {
    public Setting {
      requireNonNull(value, "value is null");
      requireNonNull(keyPosition, "keyPosition is null");
      requireNonNull(position, "position is null");
    }
  }

  public CdcSpec {
    requireNonNull(strategy, "strategy is null");
    settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    requireNonNull(position, "position is null");
  }

  public Optional<Setting> setting(String key) {
    return Optional.ofNullable(settings.get(key));
  }

  /**
   * A {@code log} capture's {@code timeout} (how long the server's decoding may make no progress
   * before a run gives up): a positive duration such as {@code 60s}, {@code 5m} or {@code PT2M};
   * empty when {@code text} spells none.
   */
  public static Optional<Duration> timeout(String text) {
    return Lookback.parse(text)
        .filter(l -> l instanceof Lookback.Time)
        .map(l -> ((Lookback.Time) l).duration())
        .filter(d -> !d.isZero());
  }
}
