package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import dev.berth.proto.v1.AgentServiceGrpc;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
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
 * classes of the channel, the call and the table), then a call the stand-in refuses (the error
 * path).
 */
public final class CliTraining {

  private CliTraining() {}

  public static void main(String[] args) throws Exception {
    ClientJvm.configure(args, CliEnvironment.system());
    Path directory = Files.createTempDirectory("berth-cli-training");
    Path socket = directory.resolve("berth.sock");
    EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    Server server =
        NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(loops)
            .workerEventLoopGroup(loops)
            .addService(new StandInAgent())
            .build()
            .start();
    int failed = 0;
    try {
      CliEnvironment environment =
          new CliEnvironment(Map.of(), Clock.systemUTC(), StopSignal.shutdownHooks());
      for (List<String> command :
          List.of(
              List.of("--help"),
              List.of("version"),
              List.of("status", "--help"),
              List.of("status", "--socket", socket.toString()),
              List.of("status", "--socket", socket.toString(), "--json"),
              List.of("status", "--socket", socket.toString(), "training"))) {
        String[] words = command.toArray(String[]::new);
        CommandLine line = BerthCli.commandLine(environment, words);
        PrintWriter nowhere = new PrintWriter(OutputStream.nullOutputStream(), true);
        line.setOut(nowhere);
        line.setErr(nowhere);
        int exit = line.execute(words);
        // The last one is refused on purpose; any other failure means a path went untrained.
        if (exit != ExitCodes.OK && !command.contains("training")) {
          failed++;
        }
      }
    } finally {
      server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
      loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(2000);
      deleteQuietly(socket);
      deleteQuietly(directory);
    }
    System.exit(failed == 0 ? ExitCodes.OK : ExitCodes.FAILED);
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
        all.addServices(
            AgentProto.Service.newBuilder()
                .setSpec(AgentProto.ServiceSpec.newBuilder().setName(name))
                .setGeneration(1)
                .setSource("training")
                .addComponents(
                    AgentProto.ComponentStatus.newBuilder()
                        .setComponent("main")
                        .setRuntime("process")
                        .setState("running")
                        .setUptimeSeconds(42)
                        .setObservedGeneration(1)));
      }
      response.onNext(all.build());
      response.onCompleted();
    }
  }
}
