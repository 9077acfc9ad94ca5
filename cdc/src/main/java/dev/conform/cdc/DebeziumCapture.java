package dev.conform.cdc;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.conform.dsl.CdcSpec;
import dev.conform.dsl.SourceSpec;
import dev.conform.spi.Column;
import dev.conform.spi.DataType;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Debezium change events in files ({@code cdc: { strategy: log }} on a source of json files): one
 * envelope per line, written by a Debezium Server or Kafka Connect file sink. Each event becomes
 * one landing row: the row's values ({@code after}, or {@code before} for a delete) and its
 * operation, commit time at the source ({@code _cdc_at}) and log position ({@code _cdc_position},
 * see {@link LogPosition}). Tombstones and records that are not row changes are skipped.
 *
 * <p>Only the position follows the source's commit order: a snapshot read ({@code op: r}) has as
 * its time when Debezium read the row, after changes the stream sends later, and MySQL's times are
 * the statements' starts in whole seconds. So a dimension over these events sequences by {@code
 * _cdc_position}; {@code _cdc_at} is a column to carry.
 *
 * <p>It keeps no state of its own: the runner passes the files the model has not loaded (each new
 * file once, a changed file again) and records them when the run commits. Events delivered twice
 * (in two files, as at-least-once delivery does) carry the same time and position, so the applier
 * drops the repeat; files may arrive in any order, since the applier orders events by sequence.
 * Files are read a line at a time, so a file of any size needs little memory.
 */
final class DebeziumCapture implements ChangeCapture {

  /** Debezium's default placeholder for a value it did not receive (an unchanged TOAST value). */
  static final String UNAVAILABLE = "__debezium_unavailable_value";

  private static final String UNAVAILABLE_BYTES =
      java.util.Base64.getEncoder().encodeToString(UNAVAILABLE.getBytes(StandardCharsets.UTF_8));

  private final SourceSpec source;
  private final List<Path> files;
  private List<Column> columns;

  DebeziumCapture(SourceSpec source, List<Path> files) {
    this.source = source;
    this.files = List.copyOf(files);
  }

  /**
   * The declared columns; without them, the fields of the first row change in the files (of its
   * {@code after}, else of a delete's {@code before}), typed by the envelope's schema when it has
   * one, else strings.
   */
  @Override
  public List<Column> describe() {
    if (columns == null) {
      columns = source.columns().isEmpty() ? readColumns() : declared();
    }
    return columns;
  }

  private List<Column> declared() {
    return source.columns().stream().map(c -> Column.of(c.name(), c.type())).toList();
  }

  private List<Column> readColumns() {
    DebeziumEvent[] first = new DebeziumEvent[2];
    read(
        event -> {
          int slot = event.op().equals(CdcSpec.DELETE) ? 1 : 0;
          if (first[slot] == null) {
            first[slot] = event;
          }
          return first[0] == null;
        });
    DebeziumEvent event = first[0] != null ? first[0] : first[1];
    if (event == null) {
      throw new ExtractFailure(
          "Cannot read "
              + describeSource()
              + ": "
              + (files.isEmpty() ? "no file" : "no file holds a row change")
              + " to read its columns from; declare its columns",
          null);
    }
    List<Column> read = new ArrayList<>();
    if (!event.fields().isEmpty()) {
      event
          .fields()
          .forEach((name, field) -> read.add(Column.of(name, DebeziumValues.type(field))));
    } else {
      event.row().keySet().forEach(name -> read.add(Column.of(name, DataType.STRING)));
    }
    return read;
  }

  @Override
  public Capture capture(CaptureRequest request) {
    List<Column> own = describe();
    Path landing = request.landing();
    long rows;
    try (ChangeRowWriter out = new ChangeRowWriter(own, landing, request.progress())) {
      read(
          event -> {
            write(out, own, event);
            return true;
          });
      rows = out.rows();
    } catch (IOException e) {
      throw Landing.unwritable("Cannot read " + describeSource(), landing, e);
    } catch (RuntimeException e) {
      throw Landing.discard(landing, e);
    }
    return new Capture(
        new Extracted(own, rows, Optional.empty(), landing),
        "from " + files.size() + " Debezium file(s)",
        Map.of());
  }

  /** One landing row: the source's columns, then the operation, commit time and position. */
  private void write(ChangeRowWriter out, List<Column> own, DebeziumEvent event) {
    Map<String, Object> values = new HashMap<>();
    Map<String, String> names = new HashMap<>();
    event
        .row()
        .forEach(
            (name, value) -> {
              String lower = name.toLowerCase(Locale.ROOT);
              values.put(lower, value);
              names.put(lower, name);
            });
    Map<String, Map<String, Object>> fields = new HashMap<>();
    event.fields().forEach((name, field) -> fields.put(name.toLowerCase(Locale.ROOT), field));
    List<String> texts = new ArrayList<>(own.size());
    try {
      for (Column column : own) {
        String lower = column.name().toLowerCase(Locale.ROOT);
        if (!values.containsKey(lower)) {
          requireAbsentAllowed(event, column, fields.containsKey(lower));
        }
        Object value = values.get(lower);
        if (isUnavailable(value)) {
          throw new MalformedEvent(
              "its column '"
                  + names.get(lower)
                  + "' holds Debezium's placeholder "
                  + UNAVAILABLE
                  + ", not its value: PostgreSQL did not send a large (TOASTed) value that the"
                  + " update left unchanged, as the table's replica identity does not log the old"
                  + " row; run ALTER TABLE "
                  + event.table()
                  + " REPLICA IDENTITY FULL at the source (or have"
                  + " the connector fill such values in), then rebuild the models that read it"
                  + " with conform run --full-refresh MODEL");
        }
        String text;
        try {
          text = DebeziumValues.text(value, fields.get(lower));
        } catch (MalformedEvent e) {
          throw new MalformedEvent("its column '" + names.get(lower) + "' " + e.getMessage(), e);
        }
        texts.add(text);
      }
      out.write(
          texts,
          event.op(),
          ChangeRowWriter.AT.format(LocalDateTime.ofInstant(event.committed(), ZoneOffset.UTC)),
          event.position());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * A declared column the event's row lacks: a delete's {@code before} may hold only the key, and a
   * column the event's schema does not list was not in the table when the change was made, so both
   * load as null. A create, update or snapshot read without a column the table has (MySQL's {@code
   * binlog_row_image=MINIMAL}, or events without a schema) would load a wrong null.
   */
  private static void requireAbsentAllowed(DebeziumEvent event, Column column, boolean inSchema) {
    if (event.op().equals(CdcSpec.DELETE) || (!event.fields().isEmpty() && !inSchema)) {
      return;
    }
    throw new MalformedEvent(
        "its after has no field '"
            + column.name()
            + "', which the source declares"
            + (event.fields().isEmpty() ? "" : " and the event's schema lists")
            + ", so its value is unknown (an "
            + event.op()
            + " must carry the whole row); with MySQL or MariaDB set binlog_row_image=FULL at the"
            + " source, or remove the column from the source's columns");
  }

  /**
   * Debezium's placeholder for a value it did not receive ({@code unavailable.value.placeholder}):
   * as text, as base64 bytes, or as the element of an array.
   */
  private static boolean isUnavailable(Object value) {
    if (value instanceof String text) {
      return text.equals(UNAVAILABLE) || text.equals(UNAVAILABLE_BYTES);
    }
    if (value instanceof List<?> list) {
      return list.size() == 1 && isUnavailable(list.get(0));
    }
    return false;
  }

  /**
   * Gives each row change of the files, in file and line order, to {@code next} until it returns
   * false. A line that is not a change event fails the whole read, naming its file and line.
   */
  private void read(Predicate<DebeziumEvent> next) {
    for (Path file : files) {
      try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        long number = 0;
        String line;
        while ((line = lines.readLine()) != null) {
          number++;
          if (line.isBlank()) {
            continue;
          }
          Optional<DebeziumEvent> event;
          try {
            event = DebeziumEvent.of(JsonTree.parse(line));
          } catch (JsonProcessingException e) {
            throw malformed(file, number, "it is not valid JSON: " + e.getOriginalMessage(), e);
          } catch (IOException e) {
            throw malformed(file, number, "it is not valid JSON: " + e.getMessage(), e);
          } catch (MalformedEvent e) {
            throw malformed(file, number, e.getMessage(), e);
          }
          if (event.isPresent() && !readOn(next, event.get(), file, number)) {
            return;
          }
        }
      } catch (java.io.UncheckedIOException e) {
        throw failedRead(file, e.getCause());
      } catch (IOException e) {
        throw failedRead(file, e);
      }
    }
  }

  private boolean readOn(Predicate<DebeziumEvent> next, DebeziumEvent event, Path file, long line) {
    try {
      return next.test(event);
    } catch (MalformedEvent e) {
      throw malformed(file, line, e.getMessage(), e);
    }
  }

  private ExtractFailure malformed(Path file, long line, String what, Exception cause) {
    return new ExtractFailure(
        "Cannot read "
            + describeSource()
            + ": "
            + file
            + ":"
            + line
            + ": "
            + what
            + "; nothing was loaded",
        cause);
  }

  private ExtractFailure failedRead(Path file, IOException e) {
    return new ExtractFailure(
        "Cannot read " + describeSource() + ": cannot read " + file + ": " + e.getMessage(), e);
  }

  private String describeSource() {
    return "source '"
        + source.name().name()
        + "' (Debezium events in "
        + source.path().orElse("its files")
        + ")";
  }
}
