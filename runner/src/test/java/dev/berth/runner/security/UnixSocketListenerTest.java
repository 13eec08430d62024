package dev.berth.runner.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.BindException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixSocketListenerTest {

  @TempDir Path directory;

  private final TestClients clients = new TestClients();
  private final HealthStatusManager health = new HealthStatusManager();

  private final List<ApiServers> started = new ArrayList<>();

  @AfterEach
  void closeEverything() {
    clients.close();
    started.forEach(ApiServers::close);
  }

  private ApiServers start(Path socket) throws IOException {
    ApiServers servers =
        ApiServers.builder(ListenSettings.unixSocket(socket))
            .addService(health.getHealthService())
            .start();
    started.add(servers);
    return servers;
  }

  @Test
  void answersAHealthCheckOnTheSocket() throws IOException {
    Path socket = directory.resolve("berth.sock");
    start(socket);
    assertThat(TestClients.check(clients.unixSocket(socket))).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void socketFileIsReadableAndWritableByItsOwnerOnly() throws IOException {
    Path socket = directory.resolve("berth.sock");
    start(socket);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)))
        .isEqualTo("rw-------");
  }

  @Test
  void leavesNothingButTheSocketInItsDirectory() throws IOException {
    Path socket = directory.resolve("berth.sock");
    start(socket);
    assertThat(list(directory)).containsExactly(socket);
  }

  @Test
  void reportsTheSocketsAbsolutePath() throws IOException {
    Path socket = directory.resolve("berth.sock");
    ApiServers servers = start(socket);
    assertThat(servers.socket()).contains(socket.toAbsolutePath());
    assertThat(servers.tcpAddress()).isEmpty();
  }

  @Test
  void removesTheSocketFileWhenClosed() throws IOException {
    Path socket = directory.resolve("berth.sock");
    start(socket).close();

    assertThat(list(directory)).isEmpty();
  }

  @Test
  void replacesAStaleSocketFile() throws IOException {
    Path socket = directory.resolve("berth.sock");
    // A socket file nobody listens on any more, as a killed agent leaves it.
    try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      dead.bind(UnixDomainSocketAddress.of(socket));
    }
    assertThat(socket).exists();

    start(socket);
    assertThat(TestClients.check(clients.unixSocket(socket))).isEqualTo(ServingStatus.SERVING);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)))
        .isEqualTo("rw-------");
  }

  @Test
  void refusesToStartWhenAnotherAgentListensOnTheSocket() throws IOException {
    Path socket = directory.resolve("berth.sock");
    start(socket);
    assertThatThrownBy(() -> start(socket))
        .isInstanceOf(BindException.class)
        .hasMessage("another agent is listening on " + socket.toAbsolutePath());

    assertThat(TestClients.check(clients.unixSocket(socket))).isEqualTo(ServingStatus.SERVING);
    assertThat(list(directory)).containsExactly(socket);
  }

  @Test
  void refusesToReplaceAFileThatIsNotASocket() throws IOException {
    Path notASocket = Files.writeString(directory.resolve("berth.sock"), "precious");

    assertThatThrownBy(() -> start(notASocket))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining(
            notASocket.toAbsolutePath() + ": the path exists and is not a socket");
    assertThat(notASocket).hasContent("precious");
    assertThat(list(directory)).containsExactly(notASocket);
  }

  @Test
  void refusesASocketInADirectoryThatDoesNotExist() {
    Path socket = directory.resolve("missing").resolve("berth.sock");

    assertThatThrownBy(() -> start(socket))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("its directory " + directory.resolve("missing") + " does not exist");
  }

  @Test
  void refusesAPathTooLongForAUnixSocket() throws IOException {
    Path deep = Files.createDirectories(directory.resolve("d".repeat(100)));
    Path socket = deep.resolve("berth.sock");

    assertThatThrownBy(() -> start(socket))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("a unix socket path may have at most 107 bytes");
    assertThat(list(deep)).isEmpty();
  }

  private static List<Path> list(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.toList();
    }
  }
}
