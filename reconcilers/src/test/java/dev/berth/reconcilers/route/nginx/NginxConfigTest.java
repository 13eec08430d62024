package dev.berth.reconcilers.route.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** nginx's settings check their own rules, the ones the agent's configuration reports. */
class NginxConfigTest {

  private static NginxConfig.Builder builder() {
    return NginxConfig.builder(
        Path.of("/var/lib/berth/nginx"), Path.of("/var/lib/berth/nginx/run"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "192.0.2.10", "::", "::1", "2001:db8::10"})
  void anIpAddressIsAListenAddress(String address) {
    assertThat(NginxConfig.listenAddress(address)).isNull();
    assertThat(builder().listenAddress(address).build().listenAddress()).isEqualTo(address);
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "1.2.3", "256.0.0.1", "192.168.01.1", ""})
  void anythingElseIsRefusedNamingTheFieldAndTheRule(String address) {
    assertThatThrownBy(() -> builder().listenAddress(address).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "listenAddress: must be an IPv4 or IPv6 address (such as 0.0.0.0, 192.0.2.10 or ::),"
                + " was \""
                + address
                + "\"");
  }

  @Test
  void theChallengePortIsAPort() {
    assertThatThrownBy(() -> new NginxConfig.AcmeChallenge(0, Path.of("/tmp")))
        .hasMessage("port: must be 1..65535, was 0");
  }

  @Test
  void aBlankBinaryIsRefused() {
    assertThatThrownBy(() -> builder().binary("").build())
        .hasMessage("binary: must name a program (a name on the PATH or a path), was \"\"");
  }
}
