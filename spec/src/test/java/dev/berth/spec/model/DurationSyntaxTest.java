package dev.berth.spec.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationSyntaxTest {

  @Test
  void readsAWholeNumberAndAUnit() {
    assertThat(DurationSyntax.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationSyntax.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(DurationSyntax.parse("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(DurationSyntax.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(DurationSyntax.parse("30d")).isEqualTo(Duration.ofDays(30));
    assertThat(DurationSyntax.parse("0s")).isEqualTo(Duration.ZERO);
  }

  @Test
  void readsSeveralPartsFromTheLargestUnitDownAsGoDoes() {
    assertThat(DurationSyntax.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(DurationSyntax.parse("2m30s")).isEqualTo(Duration.ofSeconds(150));
    assertThat(DurationSyntax.parse("1d2h3m4s5ms"))
        .isEqualTo(Duration.ofDays(1).plusHours(2).plusMinutes(3).plusSeconds(4).plusMillis(5));
    assertThat(DurationSyntax.parse("1m500ms")).isEqualTo(Duration.ofMillis(60_500));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "10",
        "1.5s",
        "-1s",
        "+1s",
        "1 s",
        "1S",
        "1w",
        "1234567890s",
        "1m30",
        "30s1m",
        "1m1m",
        "1h 30m",
        "h",
        "1hm"
      })
  void refusesEverythingElse(String text) {
    assertThat(DurationSyntax.parse(text)).isNull();
  }

  @Test
  void formatsInTheLargestUnitThatIsExact() {
    assertThat(DurationSyntax.format(Duration.ofSeconds(600))).isEqualTo("10m");
    assertThat(DurationSyntax.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(DurationSyntax.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(DurationSyntax.format(Duration.ofDays(30))).isEqualTo("30d");
    assertThat(DurationSyntax.format(Duration.ofHours(36))).isEqualTo("36h");
  }
}
