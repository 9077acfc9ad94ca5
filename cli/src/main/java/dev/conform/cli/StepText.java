package dev.conform.cli;

import dev.conform.spi.Step;
import java.util.stream.Collectors;

/** How a plan step reads when printed. */
final class StepText {
  private StepText() {}

  static String sql(Step step) {
    if (step instanceof Step.LoadSource load) {
      String columns =
          load.columns().stream()
              .map(c -> c.name() + " " + c.type())
              .collect(Collectors.joining(", "));
      return "-- load "
          + describe(load.data())
          + " into "
          + load.stagingTable()
          + " ("
          + columns
          + "), rows that do not convert into "
          + load.rejectTable()
          + " (counted as tally "
          + Step.LoadSource.REJECTED_TALLY
          + ")";
    } else if (step instanceof Step.Statement statement) {
      StringBuilder text = new StringBuilder();
      statement.comments().forEach(line -> text.append(line).append('\n'));
      return text + statement.sql() + ";";
    } else if (step instanceof Step.Materialize materialize) {
      return materialize.sql() + ";";
    } else if (step instanceof Step.Measure measure) {
      return measure.sql() + ";";
    } else if (step instanceof Step.Expect expect) {
      return "-- fail the run unless this counts 0\n" + expect.sql() + ";";
    }
    throw new IllegalStateException("Unknown step: " + step);
  }

  private static String describe(dev.conform.spi.SourceData data) {
    if (data instanceof dev.conform.spi.SourceData.Files files) {
      return files.format().name().toLowerCase(java.util.Locale.ROOT)
          + " "
          + String.join(", ", files.paths());
    }
    return ((dev.conform.spi.SourceData.InlineRows) data).rows().size() + " inline rows";
  }
}
