package dev.conform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conform.spi.RunListener;
import dev.conform.spi.Step;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** What {@code conform run --timings} prints for steps that ran and steps that were skipped. */
class StepTimingsTest {
  @Test
  void printsEachStepsTimeOrWhyItWasSkipped() {
    StringWriter err = new StringWriter();
    Printer printer =
        new Printer(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    StepTimings timings = new StepTimings(printer, RunListener.NONE);
    Step write = Step.Statement.of("write the versions", "INSERT ...");
    Step journal =
        Step.Statement.of("journal the events", "INSERT ...").withOnlyIf("events_to_journal");

    timings.stepStarted("dim", write, 0, 2);
    timings.stepFinished("dim", write, 0, 2);
    timings.stepSkipped("dim", journal, 1, 2, "tally events_to_journal is 0");

    String[] lines = err.toString().split("\\R");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).matches("dim  1/2 +\\d+\\.\\d{3}s  write the versions");
    assertThat(lines[1])
        .isEqualTo("dim  2/2  skipped (tally events_to_journal is 0)  journal the events");
  }
}
