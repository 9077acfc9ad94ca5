package dev.conform.cdc;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.conform.dsl.CdcSpec;
import dev.conform.spi.Column;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * Writes change rows to a landing file: the source's own columns, then {@code _cdc_op}, {@code
 * _cdc_at} and {@code _cdc_position}, every value as a JSON string or null.
 */
final class ChangeRowWriter implements AutoCloseable {
  private static final JsonFactory JSON = new JsonFactory();

  /** The text of {@code _cdc_at}: a UTC time with microseconds. */
  static final DateTimeFormatter AT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);

  private final List<Column> columns;
  private final JsonGenerator out;
  private final LongConsumer progress;
  private long rows;

  ChangeRowWriter(List<Column> columns, Path file, LongConsumer progress) throws IOException {
    this.columns = List.copyOf(columns);
    this.progress = progress;
    Files.createDirectories(file.toAbsolutePath().getParent());
    this.out = JSON.createGenerator(file.toFile(), JsonEncoding.UTF8).setRootValueSeparator(null);
  }

  /** One change: {@code values} in the order of the columns (null for SQL NULL). */
  void write(List<String> values, String op, String at, BigInteger position) throws IOException {
    out.writeStartObject();
    for (int i = 0; i < columns.size(); i++) {
      out.writeFieldName(columns.get(i).name());
      String value = values.get(i);
      if (value == null) {
        out.writeNull();
      } else {
        out.writeString(value);
      }
    }
    out.writeStringField(CdcSpec.OP_COLUMN, op);
    out.writeStringField(CdcSpec.AT_COLUMN, at);
    out.writeStringField(CdcSpec.POSITION_COLUMN, position.toString());
    out.writeEndObject();
    out.writeRaw('\n');
    if (++rows % TableExtractor.FETCH_SIZE == 0) {
      progress.accept(rows);
    }
  }

  long rows() {
    return rows;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
