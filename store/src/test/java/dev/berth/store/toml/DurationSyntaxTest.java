package dev.berth.store.toml;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationSyntaxTest {

  @Test
  void readsOneWholeNumberAndOneUnit() {
    assertThat(DurationSyntax.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationSyntax.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(DurationSyntax.parse("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(DurationSyntax.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(DurationSyntax.parse("30d")).isEqualTo(Duration.ofDays(30));
    assertThat(DurationSyntax.parse("0s")).isEqualTo(Duration.ZERO);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "10", "1h30m", "1.5s", "-1s", "+1s", "1 s", "1S", "1w", "1234567890s"})
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
