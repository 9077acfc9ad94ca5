package dev.conform.cdc;

import dev.conform.dsl.CdcSpec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One row change read from a Debezium envelope ({@code {before, after, source, op, ts_ms}}, bare or
 * as the {@code payload} of the Kafka Connect JSON converter's {@code {schema, payload}}): the
 * operation, the row ({@code after}, or {@code before} for a delete), the schemas of the row's
 * fields when the envelope has one, when the change committed at the source, its log position, and
 * the table it changed (for messages).
 */
record DebeziumEvent(
    String op,
    Map<String, Object> row,
    Map<String, Map<String, Object>> fields,
    Instant committed,
    BigInteger position,
    String table) {

  /** The fields a record has that is not a row change: schema changes, transactions, heartbeats. */
  private static final Set<String> NOT_ROW_CHANGES =
      Set.of("ddl", "tableChanges", "databaseName", "status", "event_count", "data_collections");

  /**
   * The row change one line holds; empty for what is not one: a tombstone ({@code null}), a schema
   * change, a transaction boundary, a heartbeat, a logical decoding message ({@code op: m}).
   *
   * @throws MalformedEvent when the line is not an envelope, or is a truncate
   */
  static Optional<DebeziumEvent> of(Object line) {
    if (line == null) {
      return Optional.empty();
    }
    Map<String, Object> payload = object(line, "the line is not a JSON object");
    Map<String, Object> schema = null;
    if (payload.containsKey("payload") && payload.containsKey("schema")) {
      if (payload.get("schema") instanceof Map<?, ?>) {
        schema = object(payload.get("schema"), "");
      }
      if (payload.get("payload") == null) {
        return Optional.empty();
      }
      payload = object(payload.get("payload"), "its payload is not a JSON object");
    }
    Object op = payload.get("op");
    if (op == null) {
      if (payload.keySet().stream().anyMatch(NOT_ROW_CHANGES::contains)
          || payload.keySet().equals(Set.of("ts_ms"))) {
        return Optional.empty();
      }
      throw new MalformedEvent(
          "it is not a Debezium change event: it has no op (its fields are "
              + String.join(", ", payload.keySet())
              + ")");
    }
    String operation;
    switch (String.valueOf(op)) {
      case "c":
      case "r":
        operation = CdcSpec.INSERT;
        break;
      case "u":
        operation = CdcSpec.UPDATE;
        break;
      case "d":
        operation = CdcSpec.DELETE;
        break;
      case "m":
        return Optional.empty();
      case "t":
        throw new MalformedEvent(
            "it is a truncate (op t), which Conform cannot apply from Debezium files; replace the"
                + " files of the truncated table and rebuild each model that reads them with"
                + " conform run --full-refresh <model>");
      default:
        throw new MalformedEvent(
            "its op " + JsonTree.write(op) + " is none of Debezium's c, u, d, r, t");
    }
    String image = operation.equals(CdcSpec.DELETE) ? "before" : "after";
    if (!(payload.get(image) instanceof Map<?, ?>)) {
      throw new MalformedEvent(
          "its "
              + image
              + " is "
              + JsonTree.write(payload.get(image))
              + ", not a row (op "
              + op
              + ")");
    }
    Map<String, Object> row = object(payload.get(image), "");
    Map<String, Object> source =
        object(payload.get("source"), "it has no source block (the change's origin)");
    return Optional.of(
        new DebeziumEvent(
            operation,
            row,
            fields(schema, image),
            committed(source),
            LogPosition.of(source),
            table(source)));
  }

  /**
   * When the change committed at the source: {@code source.ts_us}, {@code ts_ns} or {@code ts_ms}
   * (never the envelope's own {@code ts_ms}, which says when Debezium processed it).
   */
  private static Instant committed(Map<String, Object> source) {
    try {
      if (source.get("ts_us") instanceof BigDecimal micros) {
        return Instant.EPOCH.plus(micros.longValueExact(), ChronoUnit.MICROS);
      }
      if (source.get("ts_ns") instanceof BigDecimal nanos) {
        return Instant.ofEpochSecond(0, nanos.longValueExact());
      }
      if (source.get("ts_ms") instanceof BigDecimal millis) {
        return Instant.ofEpochMilli(millis.longValueExact());
      }
    } catch (ArithmeticException e) {
      throw new MalformedEvent("its source timestamp is not a whole number of its unit", e);
    }
    throw new MalformedEvent("its source block has no ts_ms (when the change committed)");
  }

  /** The table the change is of, as its source block names it (schema.table), or "the table". */
  private static String table(Map<String, Object> source) {
    if (!(source.get("table") instanceof String table)) {
      return "<table>";
    }
    return source.get("schema") instanceof String schema ? schema + "." + table : table;
  }

  /**
   * The schemas of the row's fields by name, from the envelope's schema of {@code image} (the
   * table's value schema, shared by before and after); empty without a schema.
   */
  private static Map<String, Map<String, Object>> fields(Map<String, Object> schema, String image) {
    Map<String, Map<String, Object>> fields = new LinkedHashMap<>();
    if (schema == null || !(schema.get("fields") instanceof List<?> envelope)) {
      return fields;
    }
    for (Object part : envelope) {
      if (part instanceof Map<?, ?> field
          && image.equals(field.get("field"))
          && field.get("fields") instanceof List<?> columns) {
        for (Object column : columns) {
          if (column instanceof Map<?, ?> c && c.get("field") instanceof String name) {
            fields.put(name, object(c, ""));
          }
        }
      }
    }
    return fields;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object value, String otherwise) {
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw new MalformedEvent(otherwise);
  }
}
