package dev.berth.runner.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bearer token as a second factor, over the unix socket. */
class BearerTokenTest {

  private static final String TOKEN = "5f0c1a9e2b7d4c3f8a6e1b0d9c2f7a4e";

  @TempDir Path directory;

  private final TestClients clients = new TestClients();
  private final HealthStatusManager health = new HealthStatusManager();
  private final List<ApiServers> started = new ArrayList<>();

  @AfterEach
  void closeEverything() {
    clients.close();
    started.forEach(ApiServers::close);
  }

  private ManagedChannel startWithToken(Path tokenFile) throws IOException {
    Path socket = directory.resolve("berth.sock");
    started.add(
        ApiServers.builder(ListenSettings.unixSocket(socket).withTokenFile(tokenFile))
            .addService(health.getHealthService())
            .start());
    return clients.unixSocket(socket);
  }

  @Test
  void servesACallWithTheToken() throws IOException {
    ManagedChannel channel = startWithToken(TokenFiles.write(directory, TOKEN));

    ServingStatus status = TestClients.check(channel, new BearerTokenCredentials(TOKEN));

    assertThat(status).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void refusesACallWithoutATokenAsUnauthenticated() throws IOException {
    ManagedChannel channel = startWithToken(TokenFiles.write(directory, TOKEN));

    StatusRuntimeException error = TestClients.checkFails(channel, null);

    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(error.getStatus().getDescription()).contains("a bearer token is required");
  }

  @Test
  void refusesACallWithAnotherTokenAsUnauthenticated() throws IOException {
    ManagedChannel channel = startWithToken(TokenFiles.write(directory, TOKEN));

    StatusRuntimeException error =
        TestClients.checkFails(channel, new BearerTokenCredentials(TOKEN + "x"));

    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(error.getStatus().getDescription()).isEqualTo("invalid bearer token");
  }

  @Test
  void refusesAWorldReadableTokenFile() throws IOException {
    Path tokenFile = TokenFiles.write(directory.resolve("token"), TOKEN, "rw-r--r--");

    assertThatThrownBy(() -> startWithToken(tokenFile))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "token file "
                + tokenFile
                + ": must not be readable by every user, its mode is rw-r--r--; run chmod 600 "
                + tokenFile);
    assertThat(directory.resolve("berth.sock")).doesNotExist();
  }

  @Test
  void acceptsATokenFileReadableByItsGroup() throws IOException {
    Path tokenFile = TokenFiles.write(directory.resolve("token"), TOKEN, "rw-r-----");

    ManagedChannel channel = startWithToken(tokenFile);

    assertThat(TestClients.check(channel, BearerTokenCredentials.fromFile(tokenFile)))
        .isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void refusesAShortToken() throws IOException {
    Path tokenFile = TokenFiles.write(directory, "short");

    assertThatThrownBy(() -> startWithToken(tokenFile))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("the token must be at least 16 characters, was 5");
  }

  @Test
  void refusesAMissingTokenFile() {
    Path tokenFile = directory.resolve("missing");

    assertThatThrownBy(() -> startWithToken(tokenFile))
        .isInstanceOf(IOException.class)
        .hasMessage("token file " + tokenFile + ": does not exist");
  }
}
