package dev.conform.cdc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One JSON value as plain Java values: objects as {@link LinkedHashMap} (fields in their order),
 * arrays as {@link List}, strings, numbers as {@link BigDecimal} (exact, whatever their size), and
 * booleans; JSON null is null. Only one value (one line of a file) is held at a time.
 */
final class JsonTree {
  private static final JsonFactory JSON = new JsonFactory();

  private JsonTree() {}

  /**
   * The single JSON value of {@code text}.
   *
   * @throws IOException when the text is not one JSON value
   */
  static Object parse(String text) throws IOException {
    try (JsonParser parser = JSON.createParser(text)) {
      if (parser.nextToken() == null) {
        throw new IOException("no JSON value");
      }
      Object value = read(parser);
      if (parser.nextToken() != null) {
        throw new IOException("more than one JSON value on the line");
      }
      return value;
    }
  }

  /** The value that starts at the parser's current token; leaves it on the value's last token. */
  private static Object read(JsonParser parser) throws IOException {
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT:
        Map<String, Object> object = new LinkedHashMap<>();
        while (parser.nextToken() != JsonToken.END_OBJECT) {
          String name = parser.currentName();
          parser.nextToken();
          object.put(name, read(parser));
        }
        return object;
      case START_ARRAY:
        List<Object> array = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(read(parser));
        }
        return array;
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
        return new BigDecimal(parser.getBigIntegerValue());
      case VALUE_NUMBER_FLOAT:
        return parser.getDecimalValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new IOException("unexpected " + token);
    }
  }

  /** {@code value} written back as compact JSON text. */
  static String write(Object value) {
    StringWriter text = new StringWriter();
    try (JsonGenerator out = JSON.createGenerator(text)) {
      write(out, value);
    } catch (IOException e) {
      throw new IllegalStateException("Writing JSON to a string cannot fail", e);
    }
    return text.toString();
  }

  private static void write(JsonGenerator out, Object value) throws IOException {
    if (value == null) {
      out.writeNull();
    } else if (value instanceof Map<?, ?> object) {
      out.writeStartObject();
      for (Map.Entry<?, ?> field : object.entrySet()) {
        out.writeFieldName(String.valueOf(field.getKey()));
        write(out, field.getValue());
      }
      out.writeEndObject();
    } else if (value instanceof List<?> array) {
      out.writeStartArray();
      for (Object element : array) {
        write(out, element);
      }
      out.writeEndArray();
    } else if (value instanceof BigDecimal number) {
      out.writeNumber(number);
    } else if (value instanceof Boolean flag) {
      out.writeBoolean(flag);
    } else {
      out.writeString(value.toString());
    }
  }
}
