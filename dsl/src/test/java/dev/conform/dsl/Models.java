package dev.conform.dsl;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Test helper: a model value with every position removed, for comparing models read twice. */
final class Models {
  private Models() {}

  /** Records become maps of component to value; positions become a placeholder. */
  static Object withoutPositions(Object value) {
    if (value instanceof Position) {
      return "<position>";
    }
    if (value instanceof Optional<?> optional) {
      return optional.map(Models::withoutPositions);
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
    if (value != null && value.getClass().isRecord()) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("@type", value.getClass().getSimpleName());
      for (RecordComponent component : value.getClass().getRecordComponents()) {
        if (component.getName().equals("diagnostics")
            || component.getName().equals("file") && value instanceof SpecFile) {
          continue;
        }
        try {
          result.put(component.getName(), withoutPositions(component.getAccessor().invoke(value)));
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
      return result;
    }
    return value;
  }
}
