package dev.berth.runner.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class PlainTcpListenerTest {

  private final TestClients clients = new TestClients();
  private final HealthStatusManager health = new HealthStatusManager();
  private final Logger log = (Logger) LoggerFactory.getLogger(ApiServers.class);
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private ApiServers servers;

  @BeforeEach
  void captureLog() {
    logged.start();
    log.addAppender(logged);
  }

  @AfterEach
  void closeEverything() {
    log.detachAppender(logged);
    clients.close();
    if (servers != null) {
      servers.close();
    }
  }

  @Test
  void refusesPlainTcpUnlessExplicitlyAllowed() {
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", 0);

    assertThatThrownBy(() -> new TcpSettings(address, null, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs TLS settings (mutual TLS)")
        .hasMessageContaining("--insecure-listen");
  }

  @Test
  void servesPlainTcpWhenAllowed() throws IOException {
    servers =
        ApiServers.builder(
                ListenSettings.tcp(TcpSettings.insecure(new InetSocketAddress("127.0.0.1", 0))))
            .addService(health.getHealthService())
            .start();

    ServingStatus status = TestClients.check(clients.plaintext(servers.tcpAddress().orElseThrow()));

    assertThat(status).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void warnsThatPlainTcpIsUnauthenticatedAndUnencrypted() throws IOException {
    servers =
        ApiServers.builder(
                ListenSettings.tcp(TcpSettings.insecure(new InetSocketAddress("127.0.0.1", 0))))
            .addService(health.getHealthService())
            .start();

    assertThat(logged.list)
        .filteredOn(event -> event.getLevel() == Level.WARN)
        .extracting(ILoggingEvent::getFormattedMessage)
        .singleElement()
        .asString()
        .contains("unauthenticated and unencrypted");
  }

  @Test
  void reportsATakenPortClearly() throws IOException {
    servers =
        ApiServers.builder(
                ListenSettings.tcp(TcpSettings.insecure(new InetSocketAddress("127.0.0.1", 0))))
            .addService(health.getHealthService())
            .start();
    InetSocketAddress taken = servers.tcpAddress().orElseThrow();

    assertThatThrownBy(
            () ->
                ApiServers.builder(ListenSettings.tcp(TcpSettings.insecure(taken)))
                    .addService(health.getHealthService())
                    .start())
        .isInstanceOf(java.net.BindException.class)
        .hasMessageStartingWith(
            "TCP listener on 127.0.0.1:" + taken.getPort() + ": cannot listen: ");
  }
}
