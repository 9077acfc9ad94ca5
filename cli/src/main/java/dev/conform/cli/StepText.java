package dev.conform.cli;

import dev.conform.spi.Step;

/** How a plan step reads when printed. */
final class StepText {
  private StepText() {}

  static String sql(Step step) {
    if (step instanceof Step.LoadSource load) {
      return "-- " + load.summary();
    } else if (step instanceof Step.Statement statement) {
      StringBuilder text = new StringBuilder();
      statement.comments().forEach(line -> text.append(line).append('\n'));
      return text + statement.sql() + ";";
    } else if (step instanceof Step.Materialize materialize) {
      return materialize.sql() + ";";
    } else if (step instanceof Step.DeleteRows delete) {
      return delete.sql() + ";";
    } else if (step instanceof Step.Measure measure) {
      return measure.sql() + ";";
    } else if (step instanceof Step.Expect expect) {
      return "-- fail the run unless this counts 0\n" + expect.sql() + ";";
    }
    throw new IllegalStateException("Unknown step: " + step);
  }
}
