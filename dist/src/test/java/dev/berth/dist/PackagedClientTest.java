package dev.berth.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's API through the packages' jar on both ends: its CLI's client commands, and the
 * standard gRPC health and reflection services that grpcurl-style tools use. runner/pom.xml's shade
 * filters drop parts of gRPC's services (channelz, binary logs), protobuf, Guava and the common
 * protos that these must not need.
 */
class PackagedClientTest {

  static final Path JAR = PackagedOperatorTest.JAR;
  static final Duration START = Duration.ofSeconds(60);

  @TempDir Path directory;
  private Process agent;
  private Path log;

  @BeforeEach
  void startAgent() throws Exception {
    Files.writeString(
        directory.resolve("berth.toml"),
        """
        data_dir = "data"

        [api]
        socket = "berth.sock"

        [metrics]
        listen = ""

        [runtimes]
        enabled = ["process"]

        [routes]
        enabled = false
        """);
    log = directory.resolve("agent.log");
    agent =
        new ProcessBuilder(
                Command.java(), "-jar", JAR.toString(), "agent", "--config", "berth.toml")
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    agent.getOutputStream().close();
    long deadline = System.nanoTime() + START.toNanos();
    while (!Files.exists(log) || !Files.readString(log).contains("berth agent started")) {
      assertThat(agent.isAlive()).as(() -> Command.readOrEmpty(log)).isTrue();
      assertThat(System.nanoTime()).as(() -> Command.readOrEmpty(log)).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  @AfterEach
  void stopAgent() throws InterruptedException {
    agent.destroy();
    if (!agent.waitFor(30, TimeUnit.SECONDS)) {
      agent.destroyForcibly();
      agent.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void theClientCommandsOfTheJarReachItsAgent() throws Exception {
    Path file = directory.resolve("web.toml");
    Files.writeString(
        file,
        """
        name = "web"
        [[components]]
        name = "worker"
        runtime = "process"
        executable = "/bin/sleep"
        cmd = ["300"]
        restart = "always"
        """);

    Command dryRun = berth("apply", "--dry-run", "-f", file.toString());
    assertThat(dryRun.exitCode()).as(dryRun.output()).isZero();
    assertThat(dryRun.output()).contains("web");

    Command status = berth("status", "-o", "json");
    assertThat(status.exitCode()).as(status.output()).isZero();
    assertThat(status.output().strip()).startsWith("{");

    Command version = Command.run(List.of(Command.java(), "-jar", JAR.toString(), "version"));
    assertThat(version.exitCode()).as(version.output()).isZero();
    assertThat(Command.readOrEmpty(log))
        .doesNotContain("NoClassDefFoundError", "ClassNotFoundException");
  }

  @Test
  void healthAndReflectionAnswerAsGrpcTools() throws Exception {
    EventLoopGroup loops = new EpollEventLoopGroup(1);
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(
                new DomainSocketAddress(directory.resolve("berth.sock").toString()))
            .channelType(EpollDomainSocketChannel.class)
            .eventLoopGroup(loops)
            .overrideAuthority("localhost")
            .usePlaintext()
            .build();
    try {
      HealthCheckResponse health =
          HealthGrpc.newBlockingStub(channel)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .check(HealthCheckRequest.getDefaultInstance());
      assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

      CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
      StreamObserver<ServerReflectionRequest> requests =
          ServerReflectionGrpc.newStub(channel)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .serverReflectionInfo(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse response) {
                      answer.complete(response);
                    }

                    @Override
                    public void onError(Throwable failure) {
                      answer.completeExceptionally(failure);
                    }

                    @Override
                    public void onCompleted() {}
                  });
      requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
      List<String> services =
          answer.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
              .map(ServiceResponse::getName)
              .toList();
      requests.onCompleted();
      assertThat(services).contains("grpc.health.v1.Health", "berth.v1.AgentService");
    } finally {
      channel.shutdownNow();
      channel.awaitTermination(10, TimeUnit.SECONDS);
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
  }

  private Command berth(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(Command.java(), "-jar", JAR.toString()));
    command.addAll(List.of(arguments));
    command.addAll(List.of("--socket", directory.resolve("berth.sock").toString()));
    return Command.run(command);
  }
}
