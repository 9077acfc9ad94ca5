package dev.conform.examples;

import dev.conform.dsl.Diagnostic;
import dev.conform.dsl.Position;
import dev.conform.dsl.SpecFile;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Test helper: a spec model with every position, diagnostic and file name removed, so that the same
 * declarations read from two files (or two spellings) compare equal.
 */
final class SpecModels {
  private SpecModels() {}

  /** Records become maps of component name to value; positions become a placeholder. */
  static Object withoutPositions(Object value) {
    if (value instanceof Position) {
      return "<position>";
    }
    if (value instanceof Optional<?> optional) {
      return optional.map(SpecModels::withoutPositions);
    }
    if (value instanceof List<?> list) {
      List<Object> result = new ArrayList<>();
      list.forEach(item -> result.add(withoutPositions(item)));
      return result;
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> result = new LinkedHashMap<>();
      map.forEach((k, v) -> result.put(k, withoutPositions(v)));
      return result;
    }
    if (value == null || !value.getClass().isRecord() || value instanceof Diagnostic) {
      return value;
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("@type", value.getClass().getSimpleName());
    for (RecordComponent component : value.getClass().getRecordComponents()) {
      String name = component.getName();
      if (value instanceof SpecFile && (name.equals("file") || name.equals("diagnostics"))) {
        continue;
      }
      try {
        result.put(name, withoutPositions(component.getAccessor().invoke(value)));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("Cannot read " + name + " of " + value, e);
      }
    }
    return result;
  }
}
