package dev.conform.dsl;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The functions the expression language knows, with how many arguments each takes. Scalar functions
 * may appear in any expression; check functions only as a whole check.
 */
public final class FunctionCatalog {
  /** Where a function may be used. */
  public enum Kind {
    SCALAR,
    CHECK
  }

  /** One function: its name, argument count range and kind. {@code maxArguments} -1 = any. */
  public record Function(String name, int minArguments, int maxArguments, Kind kind) {
    public Function {
      requireNonNull(name, "name is null");
      requireNonNull(kind, "kind is null");
    }

    public boolean accepts(int arguments) {
      return arguments >= minArguments && (maxArguments < 0 || arguments <= maxArguments);
    }

    /** How many arguments it takes, for messages: "1", "2 or 3", "at least 1". */
    public String arity() {
      if (maxArguments < 0) {
        return "at least " + minArguments;
      }
      if (minArguments == maxArguments) {
        return String.valueOf(minArguments);
      }
      return maxArguments == minArguments + 1
          ? minArguments + " or " + maxArguments
          : minArguments + " to " + maxArguments;
    }
  }

  private static final Map<String, Function> FUNCTIONS = build();

  private FunctionCatalog() {}

  private static Map<String, Function> build() {
    Map<String, Function> functions = new LinkedHashMap<>();
    scalar(functions, "trim", 1, 1);
    scalar(functions, "ltrim", 1, 1);
    scalar(functions, "rtrim", 1, 1);
    scalar(functions, "upper", 1, 1);
    scalar(functions, "lower", 1, 1);
    scalar(functions, "length", 1, 1);
    scalar(functions, "substr", 2, 3);
    scalar(functions, "substring", 2, 3);
    scalar(functions, "replace", 3, 3);
    scalar(functions, "concat", 1, -1);
    scalar(functions, "coalesce", 1, -1);
    scalar(functions, "nullif", 2, 2);
    scalar(functions, "abs", 1, 1);
    scalar(functions, "round", 1, 2);
    scalar(functions, "floor", 1, 1);
    scalar(functions, "ceil", 1, 1);
    scalar(functions, "mod", 2, 2);
    scalar(functions, "greatest", 2, -1);
    scalar(functions, "least", 2, -1);
    scalar(functions, "year", 1, 1);
    scalar(functions, "month", 1, 1);
    scalar(functions, "day", 1, 1);
    scalar(functions, "current_date", 0, 0);
    functions.put("not_null", new Function("not_null", 1, 1, Kind.CHECK));
    functions.put("accepted_values", new Function("accepted_values", 2, 2, Kind.CHECK));
    return Collections.unmodifiableMap(functions);
  }

  private static void scalar(Map<String, Function> functions, String name, int min, int max) {
    functions.put(name, new Function(name, min, max, Kind.SCALAR));
  }

  /** The function of that name (case-insensitive). */
  public static Optional<Function> lookup(String name) {
    return Optional.ofNullable(FUNCTIONS.get(name.toLowerCase(Locale.ROOT)));
  }

  /** Every function name, in a fixed order. */
  public static List<String> names() {
    return new ArrayList<>(FUNCTIONS.keySet());
  }
}
