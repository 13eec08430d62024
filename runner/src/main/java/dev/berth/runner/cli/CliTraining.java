package dev.berth.runner.cli;

import com.google.protobuf.Timestamp;
import dev.berth.proto.v1.AgentProto;
import dev.berth.proto.v1.AgentServiceGrpc;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * The training run of the CLI's class-data archive: {@code bin/berth} runs this once per jar and
 * JVM, with the JVM told to archive the classes it loads ({@code -XX:ArchiveClassesAtExit}, or the
 * AOT cache of JDK 24 and later), and maps that archive into every client command after it. It runs
 * the CLI's common paths in this process, printing nothing: the command line's model and its help,
 * {@code version}, and {@code status} over a unix socket against a stand-in agent served here (the
 * classes of the channel, the call and the table), once more through a client configuration's
 * context, then a call the stand-in refuses (the error path).
 */
public final class CliTraining {

  private CliTraining() {}

  public static void main(String[] args) throws Exception {
    ClientJvm.configure(args, CliEnvironment.system());
    ClientWarmUp.start(); // its classes too: every client command starts it
    Path directory = Files.createTempDirectory("berth-cli-training");
    Path socket = directory.resolve("berth.sock");
    EventLoopGroup loops = new NioEventLoopGroup(1);
    Server server =
        NettyServerBuilder.forAddress(UnixDomainSocketAddress.of(socket))
            .channelType(NioServerDomainSocketChannel.class)
            .bossEventLoopGroup(loops)
            .workerEventLoopGroup(loops)
            .addService(new StandInAgent())
            .build()
            .start();
    // A client configuration naming the socket in a context, so that the classes that read it
    // (TOML, some 600) are archived too: without them every command of a user with a config file
    // loaded them from the jar.
    Path config = directory.resolve("config.toml");
    Files.writeString(
        config,
        "current_context = \"training\"\n\n[contexts.training]\nsocket = \""
            + socket.toString().replace("\\", "\\\\").replace("\"", "\\\"")
            + "\"\n");
    int failed = 0;
    try {
      CliEnvironment bare =
          new CliEnvironment(Map.of(), Clock.systemUTC(), StopSignal.shutdownHooks());
      CliEnvironment configured =
          new CliEnvironment(
              Map.of("BERTH_CLIENT_CONFIG", config.toString()),
              Clock.systemUTC(),
              StopSignal.shutdownHooks());
      String at = socket.toString();
      failed += train(bare, "--help");
      failed += train(bare, "version");
      failed += train(bare, "status", "--help");
      failed += train(bare, "status", "--socket", at);
      failed += train(bare, "status", "--socket", at, "--json");
      failed += train(configured, "status");
      // Refused on purpose (the stand-in knows no service "training"): the error path.
      train(bare, "status", "--socket", at, "training");
    } finally {
      server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
      loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(2000);
      deleteQuietly(socket);
      deleteQuietly(config);
      deleteQuietly(directory);
    }
    System.exit(failed == 0 ? ExitCodes.OK : ExitCodes.FAILED);
  }

  /** Runs one command line, printing nothing; 1 when it failed, else 0. */
  private static int train(CliEnvironment environment, String... words) {
    CommandLine line = BerthCli.commandLine(environment, words);
    PrintWriter nowhere = new PrintWriter(OutputStream.nullOutputStream(), true);
    line.setOut(nowhere);
    line.setErr(nowhere);
    return line.execute(words) == ExitCodes.OK ? 0 : 1;
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // a temporary file left behind is no reason to lose the archive
    }
  }

  /** Answers the listing with two services; everything else it leaves unimplemented. */
  private static final class StandInAgent extends AgentServiceGrpc.AgentServiceImplBase {

    @Override
    public void listServices(
        AgentProto.ListServicesRequest request,
        StreamObserver<AgentProto.ListServicesResponse> response) {
      AgentProto.ListServicesResponse.Builder all = AgentProto.ListServicesResponse.newBuilder();
      for (String name : List.of("web", "worker")) {
        all.addServices(service(name));
      }
      response.onNext(all.build());
      response.onCompleted();
    }

    /**
     * A service with every part a real agent sends and {@code status} reads (labels, environment,
     * ports, a route, a health probe, host ports, conditions, times), so that the classes that read
     * them are in the archive: a part missing here is read from the jar on every command.
     */
    private static AgentProto.Service service(String name) {
      Timestamp now = Timestamp.newBuilder().setSeconds(1_700_000_000L).build();
      return AgentProto.Service.newBuilder()
          .setSpec(
              AgentProto.ServiceSpec.newBuilder()
                  .setName(name)
                  .setDesiredState("running")
                  .putLabels("tier", "training")
                  .addComponents(
                      AgentProto.ComponentSpec.newBuilder()
                          .setName("main")
                          .setRuntime("process")
                          .setExecutable("/bin/true")
                          .addCmd("--serve")
                          .putEnv("PORT", "8080")
                          .putLabels("role", name)
                          .addPorts(
                              AgentProto.PortMapping.newBuilder()
                                  .setHostIp("127.0.0.1")
                                  .setHostPort(8080)
                                  .setContainerPort(8080))
                          .addRoutes(
                              AgentProto.RouteSpec.newBuilder()
                                  .setName("http")
                                  .setPort(8080)
                                  .setMode("http")
                                  .setHostname(name + ".training"))
                          .setHealth(
                              AgentProto.HealthProbe.newBuilder()
                                  .setType("http")
                                  .setRoute("http")
                                  .setPath("/")
                                  .setPeriodMs(1000))))
          .setGeneration(1)
          .setSource("training")
          .setCreatedAt(now)
          .setUpdatedAt(now)
          .addComponents(
              AgentProto.ComponentStatus.newBuilder()
                  .setComponent("main")
                  .setRuntime("process")
                  .setState("running")
                  .setVersion("1")
                  .setWorkloadId("42")
                  .setStartedAt(now)
                  .setUptimeSeconds(42)
                  .addPorts(
                      AgentProto.HostPort.newBuilder()
                          .setRoute("http")
                          .setHostIp("127.0.0.1")
                          .setHostPort(8080)
                          .setContainerPort(8080))
                  .setObservedGeneration(1)
                  .setUpdatedAt(now))
          .addConditions(
              AgentProto.Condition.newBuilder()
                  .setComponent("main")
                  .setType("Ready")
                  .setStatus("True")
                  .setReason("Running")
                  .setLastTransition(now))
          .build();
    }
  }
}
