package dev.berth.runner.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {

  @Test
  void readsAddressesHostnamesAndBracketedIpv6() {
    assertThat(HostPort.parse("127.0.0.1:7443")).isEqualTo(new HostPort("127.0.0.1", 7443));
    assertThat(HostPort.parse("Node1.example:1")).isEqualTo(new HostPort("Node1.example", 1));
    assertThat(HostPort.parse("[::1]:65535")).isEqualTo(new HostPort("::1", 65535));
    assertThat(HostPort.parse("[fe80::1:2]:80")).isEqualTo(new HostPort("fe80::1:2", 80));
  }

  @Test
  void printsAsItIsWritten() {
    assertThat(new HostPort("::1", 9464)).hasToString("[::1]:9464");
    assertThat(new HostPort("0.0.0.0", 7443)).hasToString("0.0.0.0:7443");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "localhost",
        ":80",
        "host:",
        "host:0",
        "host:65536",
        "host:123456",
        "::1:80",
        "[example.com]:80",
        "[::1]",
        "999.1.1.1:80",
        "a b:80",
        "-bad.example:80",
        "host:80:81"
      })
  void refusesWhatIsNotHostColonPort(String text) {
    assertThat(HostPort.parse(text)).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1:1",
        "127.10.20.30:1",
        "[::1]:1",
        "[0:0:0:0:0:0:0:1]:1",
        "localhost:1",
        "LOCALHOST:1"
      })
  void loopbackAddresses(String text) {
    assertThat(HostPort.parse(text).isLoopback()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0:1", "10.0.0.1:1", "[::]:1", "example.com:1", "128.0.0.1:1"})
  void addressesReachableFromOtherMachinesAreNotLoopback(String text) {
    assertThat(HostPort.parse(text).isLoopback()).isFalse();
  }
}
