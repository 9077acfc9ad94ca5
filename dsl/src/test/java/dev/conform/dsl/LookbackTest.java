package dev.conform.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LookbackTest {
  @Test
  void readsAWholeNumberAsAnAmount() {
    assertThat(Lookback.parse("300")).contains(new Lookback.Amount(300));
    assertThat(Lookback.parse(" 0 ")).contains(Lookback.NONE);
  }

  @Test
  void readsANumberWithAUnitAsATime() {
    assertThat(Lookback.parse("250ms")).contains(new Lookback.Time(Duration.ofMillis(250)));
    assertThat(Lookback.parse("30s")).contains(new Lookback.Time(Duration.ofSeconds(30)));
    assertThat(Lookback.parse("5m")).contains(new Lookback.Time(Duration.ofMinutes(5)));
    assertThat(Lookback.parse("2H")).contains(new Lookback.Time(Duration.ofHours(2)));
    assertThat(Lookback.parse(" 1d")).contains(new Lookback.Time(Duration.ofDays(1)));
    assertThat(Lookback.parse("0s")).contains(new Lookback.Time(Duration.ZERO));
  }

  @Test
  void readsAnIsoDurationAsATime() {
    assertThat(Lookback.parse("PT5M")).contains(new Lookback.Time(Duration.ofMinutes(5)));
    assertThat(Lookback.parse("pt1h30m")).contains(new Lookback.Time(Duration.ofMinutes(90)));
    assertThat(Lookback.parse("P1D")).contains(new Lookback.Time(Duration.ofDays(1)));
    assertThat(Lookback.parse("PT0S")).contains(new Lookback.Time(Duration.ZERO));
  }

  @Test
  void rejectsEverythingElse() {
    for (String text :
        new String[] {
          "",
          " ",
          "-5",
          "-5m",
          "5 m",
          "5min",
          "1.5h",
          "1w",
          "m",
          "+5",
          "PT-5M",
          "-PT5M",
          "P",
          "PT",
          "5mm",
          "99999999999999999999",
          "999999999999999999d",
          "5m ago",
          "PT5M5"
        }) {
      assertThat(Lookback.parse(text)).as("'%s'", text).isEmpty();
    }
  }

  @Test
  void refusesANegativeLookback() {
    assertThatThrownBy(() -> new Lookback.Amount(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid lookback: -1 is negative");
    assertThatThrownBy(() -> new Lookback.Time(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid lookback: PT-1S is negative");
  }
}
