package dev.berth.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.store.toml.ClosestKey;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A misspelt key is matched to the known key it was most likely meant to be. */
class ClosestKeyTest {

  private static final List<String> KEYS = SpecMapper.COMPONENT_KEYS;

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "imgae, image",
    "Image, image",
    "volume, volumes",
    "port, ports",
    "en, env",
    "executabel, executable",
    "lables, labels",
    "helth, health",
  })
  void suggestsAKeyWithinAFewEdits(String typo, String expected) {
    assertThat(ClosestKey.among(typo, KEYS)).contains(expected);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"weight", "memory_mb", "environment", "x"})
  void suggestsNothingWhenNoKeyIsClose(String unknown) {
    assertThat(ClosestKey.among(unknown, KEYS)).isEmpty();
  }
}
