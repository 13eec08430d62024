package dev.berth.store.toml;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Integers the TOML parser would misread are found before their values are used. */
class OverlongIntegersTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "a = 1234567890123456789",
        "a = -9999999999999999999",
        "a = +1_000_000_000_000_000_000",
        "a = [1, 1234567890123456789]",
        "a = {b = 1234567890123456789}",
      })
  void findsDecimalIntegersOfMoreThanEighteenDigits(String toml) {
    assertThat(OverlongIntegers.find(toml)).isPresent();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "a = 123456789012345678",
        "a = -123456789012345678",
        "a = \"1234567890123456789\"",
        "a = '1234567890123456789'",
        "a = \"\"\"\n1234567890123456789\n\"\"\"",
        "a = '''\n1234567890123456789'''",
        "a = \"\\\"1234567890123456789\"",
        "a = 1 # 1234567890123456789",
        "a = 1.234567890123456789",
        "a = 1234567890123456789.5",
        "a = 1234567890123456789e3",
        "a = 0x1234567890123456789",
        "a = 1979-05-27T07:32:00.1234567890123456789Z",
        "1234567890123456789 = 1",
        "a.1234567890123456789 = 1",
        "k1234567890123456789 = 1",
      })
  void ignoresStringsCommentsFloatsDatesHexadecimalsAndKeys(String toml) {
    assertThat(OverlongIntegers.find(toml)).isEmpty();
  }

  @Test
  void reportsTheLineAndTheLiteralAsWritten() {
    String toml =
        "a = \"\"\"\none\ntwo\"\"\"\n# 1234567890123456789\nb = -1_234_567_890_123_456_789\n";

    assertThat(OverlongIntegers.find(toml))
        .contains(new OverlongIntegers.Found(5, "-1_234_567_890_123_456_789"));
  }
}
