package dev.conform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conform.spi.Step;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The terminal's progress bar counts a skipped step as done, also a model's first and last. */
class ProgressListenerTest {
  @Test
  void countsSkippedStepsAsDone() {
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    Step create = Step.Statement.of("create", "CREATE ...").withOnlyIf("rows");
    Step write = Step.Statement.of("write", "INSERT ...");
    Step journal = Step.Statement.of("journal", "INSERT ...").withOnlyIf("events");

    try (ProgressListener progress =
        new ProgressListener(new PrintStream(terminal, true, StandardCharsets.UTF_8))) {
      progress.stepSkipped("dim", create, 0, 3, "tally rows is 0");
      progress.stepStarted("dim", write, 1, 3);
      progress.stepFinished("dim", write, 1, 3);
      progress.stepSkipped("dim", journal, 2, 3, "tally events is 0");
    }

    assertThat(terminal.toString(StandardCharsets.UTF_8)).contains("dim").contains("3/3");
  }
}
