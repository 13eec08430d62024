package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

  @ParameterizedTest(name = "{0} s is {1}")
  @CsvSource({
    "0, 0s",
    "45, 45s",
    "59, 59s",
    "60, 1m",
    "192, 3m12s",
    "3599, 59m59s",
    "3600, 1h",
    "7500, 2h5m",
    "86399, 23h59m",
    "86400, 1d",
    "356400, 4d3h",
    "-5, 0s",
  })
  void uptimesShowTheirTwoLargestUnits(long seconds, String shown) {
    assertThat(Durations.human(seconds)).isEqualTo(shown);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"500ms, 500", "30s, 30000", "5m, 300000", "2h, 7200000", "1d, 86400000"})
  void optionValuesAreANumberAndAUnit(String text, long millis) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @Test
  void aDurationWithoutAUnitIsRefusedWithTheRule() {
    assertThatThrownBy(() -> Durations.parse("30"))
        .hasMessage("must be a number and a unit (ms, s, m, h, d), such as 30s or 5m, was \"30\"");
  }

  @Test
  void aZeroDurationIsRefused() {
    assertThatThrownBy(() -> Durations.parse("0s")).hasMessage("must be more than 0, was \"0s\"");
  }

  @Test
  void durationsAreWrittenBackAsTheyWouldBeTyped() {
    assertThat(Durations.written(Duration.ofSeconds(30))).isEqualTo("30s");
    assertThat(Durations.written(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(Durations.written(Duration.ofMillis(200))).isEqualTo("200ms");
  }

  @Test
  void elapsedTimeHasOneDecimal() {
    assertThat(Durations.seconds(Duration.ofMillis(2430))).isEqualTo("2.4 s");
  }
}
