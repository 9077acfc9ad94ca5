package dev.conform.cli;

import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Substitutes {@code ${env:NAME}} references with environment variables at run time, so secrets
 * never sit in spec files. Values are never logged.
 */
final class Secrets {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
  private final Function<String, String> environment;

  Secrets(Function<String, String> environment) {
    this.environment = environment;
  }

  static Secrets fromSystem() {
    Map<String, String> env = System.getenv();
    return new Secrets(env::get);
  }

  /**
   * Resolves every reference in {@code text}.
   *
   * @param where what the text belongs to, for the message when a variable is not set
   */
  String resolve(String text, String where) {
    Matcher matcher = REFERENCE.matcher(text);
    StringBuilder result = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1);
      String value = environment.apply(name);
      if (value == null) {
        throw new UserException(
            ExitCode.RUN_FAILED,
            "Cannot resolve ${env:"
                + name
                + "} in "
                + where
                + ": the environment variable "
                + name
                + " is not set; export it and run again");
      }
      matcher.appendReplacement(result, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(result);
    return result.toString();
  }
}
