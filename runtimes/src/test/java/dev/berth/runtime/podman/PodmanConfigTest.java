package dev.berth.runtime.podman;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Podman's settings check their own rules. */
class PodmanConfigTest {

  @Test
  void aBlankBinaryIsRefusedNamingTheField() {
    assertThatThrownBy(() -> PodmanConfig.defaults().withPodmanBinary(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("podmanBinary: must name a program (a name on the PATH or a path), was \"\"");
  }
}
