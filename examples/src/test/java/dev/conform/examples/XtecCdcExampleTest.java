package dev.conform.examples;

import static dev.conform.examples.ExampleRunsTest.conform;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conform.testing.TestMariaDb;
import dev.conform.testing.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walk-through of {@code examples/xtec/cdc} on real sources: the CRM on the machine's MariaDB,
 * billing on PostgreSQL with logical decoding, charging's daily files; its sources made and changed
 * by {@link XtecSources}, day after day, and each day's changes flowing into the four dimensions
 * with the counts its README shows.
 */
class XtecCdcExampleTest {
  @TempDir Path folder;

  @Test
  void changesFlowFromEverySourceDayAfterDay() throws Exception {
    String crm = TestMariaDb.freshDatabase("xtec_crm");
    String billing = TestPostgres.freshLogicalDatabase("xtec_billing");
    Path project = ExampleRunsTest.copy(Path.of("xtec/cdc"), folder.resolve("cdc"));
    // Files a local walk-through left behind are not part of the example.
    try (java.util.stream.Stream<Path> left = Files.walk(project.resolve("data"))) {
      left.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.nio.file.NoSuchFileException e) {
      // A fresh clone has none.
    }
    Path config = project.resolve("conform.yaml");
    Files.writeString(
        config,
        Files.readString(config)
            .replace("${env:XTEC_CRM_URL}", crm)
            .replace("${env:XTEC_BILLING_URL}", billing));
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    XtecSources sources =
        new XtecSources(
            crm,
            billing,
            project.resolve("data/charging"),
            new PrintStream(said, true, StandardCharsets.UTF_8));

    sources.setup();
    String[] install = conform("cdc", "install-triggers", "crm_plans", "-p", project.toString());
    assertThat(install[0]).as(install[2]).isEqualTo("0");
    assertThat(install[1]).contains("created table customer_plans_changes");
    String[] first = conform("run", "-p", project.toString());
    assertThat(first[0]).as(first[2]).isEqualTo("0");
    for (String model :
        List.of(
            "dim_crm_customer",
            "dim_customer_plan",
            "dim_billing_account",
            "dim_charging_balance")) {
      assertThat(first[1]).containsPattern(model + "\\s+40\\s+0\\s+40\\s+40\\s+0\\s+0");
    }

    sources.nextDay();
    String[] day1 = conform("run", "-p", project.toString());
    assertThat(day1[0]).as(day1[2]).isEqualTo("0");
    assertThat(said.toString(StandardCharsets.UTF_8))
        .contains(
            "day 1 (2024-03-02): 2 new customers (1041, 1042); customer 1033 moved, 1037"
                + " suspended, 1003 renamed by a server 2 minutes slow");
    // Six changes and four rows the 5-minute lookback reads again; the late rename among them.
    assertThat(day1[2])
        .contains("read 10 row(s) from table customers past updated_at 2024-03-01 08:40:00");
    assertThat(day1[1])
        .containsPattern("dim_crm_customer\\s+10\\s+0\\s+6\\s+4\\s+3\\s+0")
        .containsPattern("dim_customer_plan\\s+4\\s+0\\s+4\\s+2\\s+1\\s+0")
        .containsPattern("dim_billing_account\\s+5\\s+0\\s+5\\s+3\\s+2\\s+0")
        .containsPattern("dim_charging_balance\\s+22\\s+0\\s+22\\s+2\\s+19\\s+1");

    String[] customers =
        conform("show", "dim_crm_customer", "--format", "csv", "-p", project.toString());
    assertThat(customers[1].lines().map(XtecCdcExampleTest::withoutFirstColumn))
        .contains(
            // The rename stamped 2 minutes late, below the last run's mark, is not lost.
            "1003,Hany Saleh-Saleh,Suez,active,2024-03-01 08:03:00,9999-12-31 00:00:00,true",
            // Closed with its plan cancelled: no version of customer 1017 is current.
            "1017,Mona Farouk,Suez,active,2024-03-01 08:17:00,2024-03-02 09:05:00,false");
    String[] plans =
        conform("show", "dim_customer_plan", "--format", "csv", "-p", project.toString());
    // Customer 1017's plan was cancelled (a delete in the change log), and no plan of the
    // customer sold and taken back the same day (2041) was ever loaded.
    assertThat(plans[1].lines().filter(l -> l.contains(",1017,")))
        .allMatch(l -> l.endsWith(",false"));
    assertThat(plans[1]).doesNotContain(",2041,");

    sources.nextDay();
    String[] day2 = conform("run", "-p", project.toString());
    assertThat(day2[0]).as(day2[2]).isEqualTo("0");
    assertThat(day2[1]).containsPattern("dim_charging_balance\\s+24\\s+0\\s+24\\s+2\\s+21\\s+1");
    String[] again = conform("run", "-p", project.toString());
    assertThat(again[0]).as(again[2]).isEqualTo("0");
    // Only the lookback's rows of the CRM are read again, and they change nothing.
    assertThat(again[1])
        .containsPattern("dim_crm_customer\\s+\\d+\\s+0\\s+0\\s+0\\s+0\\s+0")
        .contains("dim_customer_plan", "up to date");
  }

  /** A row of {@code conform show --format csv} without its surrogate key. */
  private static String withoutFirstColumn(String line) {
    return line.substring(line.indexOf(',') + 1);
  }
}
