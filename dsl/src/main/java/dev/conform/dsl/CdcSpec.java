package dev.conform.dsl;

import static java.util.Objects.requireNonNull;

import dev.conform.spi.DataType;
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

  /** Each strategy with the settings it takes. */
  public static final Map<String, List<String>> SETTINGS =
      Map.of(AUDIT_COLUMN, List.of("column", "lookback"));

  /** The strategies, in the order they are listed to users. */
  public static final List<String> STRATEGIES = List.of(AUDIT_COLUMN);

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
}
