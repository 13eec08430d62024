package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.rpc.BadRequest;
import dev.berth.proto.v1.AgentProto;
import dev.berth.proto.v1.AgentServiceGrpc;
import dev.berth.runner.api.RawBytes;
import dev.berth.runtime.process.ProcessLimits;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the agent refuses at apply and why, as an operator meets it: one real {@code berth agent}
 * JVM (node {@code reltest}, host processes), driven through its gRPC API over the unix socket and
 * through the CLI. Every refusal names the field, and changes nothing.
 */
class AgentApplyRulesTest {

  static final String NODE = "reltest";
  static final Path DOC = Path.of("..", "docs", "cli.md");

  @TempDir static Path directory;
  static AgentProcess agent;
  static Cli cli;
  static AgentConnection connection;

  @BeforeAll
  static void startAgent() throws IOException {
    AgentProcess.writeProcessAgentConfig(directory);
    Path config = directory.resolve("berth.toml");
    Files.writeString(config, "node = \"" + NODE + "\"\n" + Files.readString(config));
    agent = AgentProcess.start(directory);
    cli = Cli.onSocket(directory.resolve("berth.sock"));
    connection =
        AgentConnection.unixSocket(directory.resolve("berth.sock"), null, Duration.ofSeconds(30));
  }

  @AfterAll
  static void stopAgent() {
    if (connection != null) {
      connection.close();
    }
    if (agent != null) {
      agent.close();
    }
  }

  /** Each test declares its own services; none is left for the next. */
  @AfterEach
  void deleteEverything() {
    for (AgentProto.Service service :
        api().listServices(AgentProto.ListServicesRequest.getDefaultInstance()).getServicesList()) {
      api()
          .deleteService(
              AgentProto.ServiceRequest.newBuilder().setName(service.getSpec().getName()).build());
    }
  }

  static AgentServiceGrpc.AgentServiceBlockingStub api() {
    return connection.call();
  }

  /** A service of one process component, declared stopped: the rules are checked, nothing runs. */
  static AgentProto.ServiceSpec.Builder stopped(String name) {
    return AgentProto.ServiceSpec.newBuilder()
        .setName(name)
        .setDesiredState("stopped")
        .addComponents(
            AgentProto.ComponentSpec.newBuilder()
                .setName("app")
                .setRuntime("process")
                .setExecutable("/bin/sh")
                .addCmd("-c")
                .addCmd("sleep 600"));
  }

  static StatusRuntimeException refused(Runnable call) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
    assertThat(e).as("the call was refused").isNotNull();
    return e;
  }

  static StatusRuntimeException refusedApply(AgentProto.ApplyRequest.Builder request) {
    return refused(() -> api().apply(request.build()));
  }

  static List<String> fieldsOf(StatusRuntimeException e) throws Exception {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    assertThat(status).as("the status carries details").isNotNull();
    List<String> out = new ArrayList<>();
    for (var detail : status.getDetailsList()) {
      if (detail.is(BadRequest.class)) {
        detail
            .unpack(BadRequest.class)
            .getFieldViolationsList()
            .forEach(v -> out.add(v.getField() + ": " + v.getDescription()));
      }
    }
    return out;
  }

  static List<String> declared() {
    return api()
        .listServices(AgentProto.ListServicesRequest.getDefaultInstance())
        .getServicesList()
        .stream()
        .map(s -> s.getSpec().getName())
        .toList();
  }

  static Path serviceFile(String dir, String name, String extra) throws IOException {
    Path folder = Files.createDirectories(directory.resolve(dir));
    Path file = folder.resolve(name + ".toml");
    Files.writeString(
        file,
        """
        name = "%s"
        state = "stopped"
        %s

        [[components]]
        name = "app"
        runtime = "process"
        executable = "/bin/sh"
        cmd = ["-c", "sleep 600"]
        """
            .formatted(name, extra));
    return file;
  }

  static String doc() throws IOException {
    return Files.readString(DOC);
  }

  @Test
  void theDocShowsApplysUsageAsItsHelpPrintsIt() throws Exception {
    Cli.Run help = Cli.plain().run("apply", "--help");

    String usage =
        help.out()
            .substring(help.out().indexOf("Usage: ") + "Usage: ".length())
            .lines()
            .limit(3)
            .reduce((a, b) -> a + "\n" + b)
            .orElseThrow();
    assertThat(usage).contains("--take-over", "--skip-other-nodes", "--expected-generation");
    assertThat(doc()).contains("```\n" + usage + "\n```");
  }

  // ---- node ----

  @Test
  void aServiceForAnotherNodeIsRefusedThroughTheApiNamingTheField() throws Exception {
    StatusRuntimeException e =
        refusedApply(
            AgentProto.ApplyRequest.newBuilder()
                .addServices(stopped("elsewhere").setNode("n2"))
                .addServices(stopped("here").setNode(NODE)));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(fieldsOf(e))
        .containsExactly("services[elsewhere].node: must be this node or empty, was \"n2\"");
    assertThat(declared()).isEmpty();
  }

  @Test
  void applyOfADirectoryWithServicesOfOtherNodesNamesThemAndAppliesNothing() throws Exception {
    serviceFile("fleet", "here", "node = \"" + NODE + "\"");
    serviceFile("fleet", "anywhere", "");
    serviceFile("fleet", "there", "node = \"n2\"");

    Cli.Run run = cli.run("apply", "-f", directory.resolve("fleet").toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err())
        .contains("there.toml: node: must be this node or empty, was \"n2\"")
        .contains("--skip-other-nodes");
    assertThat(declared()).isEmpty();
    assertThat(doc()).contains("db.toml: node: must be this node or empty, was \"n2\"");
  }

  @Test
  void skipOtherNodesAppliesTheRestAndSaysWhichWereSkipped() throws Exception {
    serviceFile("fleet2", "here", "node = \"" + NODE + "\"");
    serviceFile("fleet2", "anywhere", "");
    serviceFile("fleet2", "there", "node = \"n2\"");

    Cli.Run run =
        cli.run("apply", "-f", directory.resolve("fleet2").toString(), "--skip-other-nodes");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.outLines())
        .containsExactly(
            "there skipped: declared for node n2 (there.toml), this is reltest",
            "anywhere created (generation 1)",
            "here created (generation 1)");
    assertThat(declared()).containsExactly("anywhere", "here");
    assertThat(doc()).contains("db skipped: declared for node n2 (db.toml), this is");
  }

  // ---- source ----

  @Test
  void aSourceThatIsNotPrintableOrTooLongIsRefusedNamingSourceAndChangesNothing() throws Exception {
    for (String source :
        List.of("tool\u001b[2J\u001b[Hfake", "line\nbreak", "x".repeat(1025), "   ")) {
      StatusRuntimeException e =
          refusedApply(
              AgentProto.ApplyRequest.newBuilder()
                  .setSource(source)
                  .addServices(stopped("sourced")));

      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(fieldsOf(e)).singleElement().asString().startsWith("source: must ");
      assertThat(e.getStatus().getDescription()).doesNotContain("\u001b").doesNotContain("\n");
    }
    assertThat(declared()).isEmpty();
    assertThat(agent.log()).doesNotContain("\u001b[2J").doesNotContain("INTERNAL");
    assertThat(
            api()
                .apply(
                    AgentProto.ApplyRequest.newBuilder()
                        .setSource("x".repeat(1024))
                        .addServices(stopped("sourced"))
                        .build())
                .getChanges(0)
                .getGeneration())
        .isEqualTo(1);
    assertThat(doc()).contains("at most 1024 characters");
  }

  // ---- expected generations ----

  @Test
  void concurrentReadModifyWriteThroughApplyLosesNoUpdateAndEveryLoserIsAborted() throws Exception {
    api()
        .apply(
            AgentProto.ApplyRequest.newBuilder()
                .addServices(stopped("counter").setComment("0"))
                .build());
    int clients = 32;
    int updatesEach = 10;
    AtomicInteger won = new AtomicInteger();
    AtomicInteger aborted = new AtomicInteger();
    ConcurrentLinkedQueue<Status.Code> otherFailures = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        running.add(
            pool.submit(
                () -> {
                  for (int done = 0; done < updatesEach; ) {
                    AgentProto.Service read =
                        api()
                            .getService(
                                AgentProto.GetServiceRequest.newBuilder()
                                    .setName("counter")
                                    .build());
                    int count = Integer.parseInt(read.getSpec().getComment());
                    try {
                      api()
                          .apply(
                              AgentProto.ApplyRequest.newBuilder()
                                  .addServices(
                                      stopped("counter").setComment(String.valueOf(count + 1)))
                                  .putExpectedGenerations("counter", read.getGeneration())
                                  .build());
                      won.incrementAndGet();
                      done++;
                    } catch (StatusRuntimeException e) {
                      if (e.getStatus().getCode() == Status.Code.ABORTED) {
                        aborted.incrementAndGet();
                      } else {
                        otherFailures.add(e.getStatus().getCode());
                        return;
                      }
                    }
                  }
                }));
      }
      for (Future<?> f : running) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    AgentProto.Service last =
        api().getService(AgentProto.GetServiceRequest.newBuilder().setName("counter").build());
    assertThat(otherFailures).isEmpty();
    assertThat(won.get()).isEqualTo(clients * updatesEach);
    assertThat(Integer.parseInt(last.getSpec().getComment())).isEqualTo(clients * updatesEach);
    assertThat(last.getGeneration()).isEqualTo(1 + clients * updatesEach);
    assertThat(aborted.get()).as("the clients raced").isPositive();
  }

  @Test
  void aStaleExpectedGenerationIsAbortedThroughTheApiAndExits5InTheCli() throws Exception {
    Path file = serviceFile("expect", "guarded", "");
    assertThat(cli.run("apply", "-f", file.toString()).exitCode()).isZero();

    StatusRuntimeException e =
        refusedApply(
            AgentProto.ApplyRequest.newBuilder()
                .setSource("file:" + file)
                .addServices(stopped("guarded").setComment("changed"))
                .putExpectedGenerations("guarded", 7));
    Cli.Run stale = cli.run("apply", "-f", file.toString(), "--expected-generation", "guarded=7");
    Cli.Run current = cli.run("apply", "-f", file.toString(), "--expected-generation", "guarded=1");

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
    assertThat(e.getStatus().getDescription())
        .isEqualTo("service guarded: expected generation 7, found 1; read again and retry");
    assertThat(stale.exitCode()).isEqualTo(ExitCodes.CONFLICT);
    assertThat(stale.err())
        .isEqualTo(
            "error: service guarded: expected generation 7, found 1; read again and retry\n");
    assertThat(current.exitCode()).as(current.err()).isZero();
    assertThat(current.out()).isEqualTo("guarded unchanged\n");
    assertThat(doc()).contains("--expected-generation SERVICE=N");
  }

  @Test
  void aNegativeExpectedGenerationIsRefusedNamingTheFieldWhereverItAppears() throws Exception {
    api().apply(AgentProto.ApplyRequest.newBuilder().addServices(stopped("kept")).build());

    StatusRuntimeException apply =
        refusedApply(
            AgentProto.ApplyRequest.newBuilder()
                .addServices(stopped("kept").setComment("changed"))
                .putExpectedGenerations("kept", -1));
    StatusRuntimeException stranger =
        refusedApply(
            AgentProto.ApplyRequest.newBuilder()
                .addServices(stopped("kept").setComment("changed"))
                .putExpectedGenerations("not-in-the-request", 1));
    AgentProto.ServiceRequest negative =
        AgentProto.ServiceRequest.newBuilder().setName("kept").setExpectedGeneration(-1).build();
    List<StatusRuntimeException> single =
        List.of(
            refused(() -> api().startService(negative)),
            refused(() -> api().stopService(negative)),
            refused(() -> api().restartService(negative)),
            refused(() -> api().deleteService(negative)));

    assertThat(apply.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(fieldsOf(apply))
        .containsExactly(
            "expected_generations[kept]: must be 0 or more (0: must not exist yet), was -1");
    assertThat(fieldsOf(stranger))
        .containsExactly(
            "expected_generations[not-in-the-request]: names no service of this request");
    for (StatusRuntimeException e : single) {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(e.getStatus().getDescription())
          .isEqualTo("expected_generation: must be 0 (none) or more, was -1");
    }
    AgentProto.Service kept =
        api().getService(AgentProto.GetServiceRequest.newBuilder().setName("kept").build());
    assertThat(kept.getGeneration()).isEqualTo(1);
    assertThat(doc()).contains("`expected_generation: must be 0\n(none) or more, was -1`");
    assertThat(kept.getSpec().getComment()).isEmpty();
  }

  // ---- malformed requests and long names ----

  static StatusRuntimeException sendRaw(
      ManagedChannel channel, MethodDescriptor<?, ?> method, byte[] request) {
    // Bytes sent as they are, as a broken or hostile client would.
    MethodDescriptor<byte[], byte[]> raw =
        method.toBuilder(RawBytes.MARSHALLER, RawBytes.MARSHALLER).build();
    return refused(
        () ->
            ClientCalls.blockingUnaryCall(
                channel,
                raw,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                request));
  }

  @Test
  void malformedProtobufAndInvalidUtf8AreInvalidArgumentWithoutAnErrorInTheLog() throws Exception {
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
      // services { name: <0xC3 0x28> }: a string field that is not UTF-8.
      byte[] badName = {0x0A, 0x04, 0x0A, 0x02, (byte) 0xC3, 0x28};
      // source: <0xFF>.
      byte[] badSource = {0x22, 0x01, (byte) 0xFF};
      // A length that runs past the end of the message.
      byte[] truncated = {0x0A, 0x7F, 0x0A};
      byte[] garbage = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};

      List<StatusRuntimeException> refusals =
          List.of(
              sendRaw(channel, AgentServiceGrpc.getApplyMethod(), badName),
              sendRaw(channel, AgentServiceGrpc.getApplyMethod(), badSource),
              sendRaw(channel, AgentServiceGrpc.getApplyMethod(), truncated),
              sendRaw(channel, AgentServiceGrpc.getGetServiceMethod(), garbage),
              sendRaw(channel, AgentServiceGrpc.getStopServiceMethod(), badName));

      for (StatusRuntimeException e : refusals) {
        assertThat(e.getStatus().getCode())
            .as(e.toString())
            .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription())
            .startsWith("the request to berth.v1.AgentService/")
            .contains("is not a valid message");
      }
      assertThat(refusals.get(0).getStatus().getDescription()).contains("UTF-8");
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }
    assertThat(declared()).isEmpty();
    assertThat(agent.log()).doesNotContain("ERROR").doesNotContain("Exception");
    assertThat(doc())
        .contains(
            "request that is not a valid protobuf message of its call, or has text that is not UTF-8, is\nINVALID_ARGUMENT");
    assertThat(
            api().apply(AgentProto.ApplyRequest.newBuilder().addServices(stopped("after")).build()))
        .as("the agent still serves")
        .isNotNull();
  }

  @Test
  void aThousandCharacterNameIsNotEchoedWhole() throws Exception {
    String name = "a".repeat(1000);

    List<StatusRuntimeException> refusals =
        List.of(
            refused(
                () ->
                    api()
                        .getService(
                            AgentProto.GetServiceRequest.newBuilder().setName(name).build())),
            refused(
                () ->
                    api()
                        .stopService(AgentProto.ServiceRequest.newBuilder().setName(name).build())),
            refused(
                () ->
                    api()
                        .deleteService(
                            AgentProto.ServiceRequest.newBuilder().setName(name).build())),
            refusedApply(AgentProto.ApplyRequest.newBuilder().addServices(stopped(name))),
            refusedApply(
                AgentProto.ApplyRequest.newBuilder()
                    .addServices(stopped("short"))
                    .putExpectedGenerations(name, 1)));

    for (StatusRuntimeException e : refusals) {
      assertThat(e.getStatus().getDescription())
          .as(e.getStatus().getCode().toString())
          .doesNotContain("a".repeat(100))
          .contains("\"" + "a".repeat(64) + "\"... (1000 characters)");
    }
    assertThat(refusals.get(0).getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(refusals.get(3).getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(doc()).contains("\"... (1000 characters)`), never echoed whole");
    assertThat(declared()).isEmpty();
  }

  // ---- executables ----

  @Test
  void anAbsoluteExecutableTheNodeDoesNotHaveIsRefusedWithItsFieldPath() throws Exception {
    Path notExecutable = Files.writeString(directory.resolve("script.sh"), "echo hi\n");
    Files.setPosixFilePermissions(notExecutable, PosixFilePermissions.fromString("rw-r--r--"));
    Path missing = directory.resolve("no-such-program");

    StatusRuntimeException e =
        refusedApply(
            AgentProto.ApplyRequest.newBuilder()
                .addServices(withExecutable("gone", missing.toString()))
                .addServices(withExecutable("plain", notExecutable.toString()))
                .addServices(withExecutable("folder", directory.toString())));
    Path file =
        Files.writeString(
            Files.createDirectories(directory.resolve("exe")).resolve("gone.toml"),
            """
            name = "gone"

            [[components]]
            name = "app"
            runtime = "process"
            executable = "%s"
            """
                .formatted(missing));
    Cli.Run run = cli.run("apply", "-f", file.toString());

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(fieldsOf(e))
        .containsExactly(
            "services[gone].components[0].executable: must be an executable file on this node: \""
                + missing
                + "\" does not exist",
            "services[plain].components[0].executable: must be an executable file on this node: \""
                + notExecutable
                + "\" is not executable by the agent",
            "services[folder].components[0].executable: must be an executable file on this node:"
                + " \""
                + directory
                + "\" is not a regular file");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err())
        .startsWith(
            "error: gone.toml: components[0].executable: must be an executable file on this node:");
    assertThat(declared()).isEmpty();
    assertThat(doc()).contains("components[0].executable: must be an executable file on this node");
  }

  @Test
  void aRelativeExecutableNotOnThePathIsAcceptedAndFailsWithNoSuchExecutableInStatus()
      throws Exception {
    api()
        .apply(
            AgentProto.ApplyRequest.newBuilder()
                .addServices(
                    withExecutable("relative", "no-such-program-on-path").setDesiredState(""))
                .build());

    var component =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    api()
                        .getService(
                            AgentProto.GetServiceRequest.newBuilder().setName("relative").build())
                        .getComponentsList(),
                components ->
                    !components.isEmpty()
                        && components.get(0).getState().equals("NoSuchExecutable"))
            .get(0);

    assertThat(component.getTerminal()).isTrue();
    assertThat(component.getMessage())
        .startsWith(
            "create relative_app failed: process: no executable no-such-program-on-path in PATH ");
    assertThat(doc())
        .contains(
            "NoSuchExecutable (create broken_app failed: process: no executable serve in PATH");
  }

  @Test
  void aProcessOverItsMemoryLimitIsKilledByTheKernelAndToldSoInStatus() throws IOException {
    String why = ProcessLimits.detect(directory).support().memoryUnavailable();
    if (why != null) {
      // CI runs as root on a machine with writable cgroups: a skip there would hide a failure.
      assertThat(System.getenv("CI")).as("CI=true forbids a skip: " + why).isNotEqualTo("true");
      Assumptions.abort("process limit tests skipped: " + why);
    }
    AgentProto.ServiceSpec.Builder hog = stopped("hungry").setDesiredState("");
    hog.getComponentsBuilder(0)
        .clearCmd()
        .addCmd("-c")
        .addCmd("head -c 200000000 /dev/zero | tail") // a 200 MB line, kept whole by tail
        .setMemoryMb(32);
    api().apply(AgentProto.ApplyRequest.newBuilder().addServices(hog).build());

    var component =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    api()
                        .getService(
                            AgentProto.GetServiceRequest.newBuilder().setName("hungry").build())
                        .getComponentsList(),
                components ->
                    !components.isEmpty() && components.get(0).getState().equals("exited"))
            .get(0);

    assertThat(component.getExitCode()).isEqualTo(137);
    assertThat(component.getMessage())
        .isEqualTo(
            "killed for exceeding its memory limit of 32 MiB; restart policy \"no\" keeps it"
                + " stopped");
    var killed =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    api()
                        .getService(
                            AgentProto.GetServiceRequest.newBuilder().setName("hungry").build())
                        .getEventsList()
                        .stream()
                        .filter(event -> event.getReason().equals("OOMKilled"))
                        .findFirst(),
                Optional::isPresent)
            .orElseThrow();
    assertThat(killed.getType()).isEqualTo("Warning");
    assertThat(killed.getMessage())
        .matches("proc-[0-9a-f]{12} killed for exceeding its memory limit of 32 MiB; .*");
    assertThat(doc())
        .contains("| `OOMKilled` |", "`3f2a killed for exceeding its memory limit of 32 MiB`");
  }

  static AgentProto.ServiceSpec.Builder withExecutable(String name, String executable) {
    AgentProto.ServiceSpec.Builder spec = stopped(name);
    spec.getComponentsBuilder(0).setExecutable(executable).clearCmd();
    return spec;
  }

  // ---- conflicts: routes and sources ----

  @Test
  void aRouteClaimedByAnotherServiceIsAConflictExit5NamingTheOwner() throws Exception {
    String route =
        """

        [[components.routes]]
        name = "tls"
        port = 443
        mode = "l4"
        hostname = "shared.test.internal"
        """;
    Path first = serviceFile("routes-a", "owner", "");
    Files.writeString(first, Files.readString(first) + route);
    Path second = serviceFile("routes-b", "thief", "");
    Files.writeString(second, Files.readString(second) + route);
    assertThat(cli.run("apply", "-f", first.toString()).exitCode()).isZero();

    Cli.Run run = cli.run("apply", "-f", second.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFLICT);
    assertThat(run.err())
        .isEqualTo(
            "error: thief.toml: components[0].routes[0]: listener port 443 for hostname"
                + " shared.test.internal is claimed by service owner (component app, route tls)\n");
    assertThat(declared()).containsExactly("owner");
    assertThat(doc()).contains(run.err());
  }

  @Test
  void aServiceOfAnotherSourceIsAConflictUnlessTakenOverAndTheDryRunShowsIt() throws Exception {
    Path first = serviceFile("team-a", "web", "");
    Path second = serviceFile("team-b", "web", "comment = \"team b's\"");
    assertThat(cli.run("apply", "-f", directory.resolve("team-a").toString()).exitCode()).isZero();
    String owner = "file:" + directory.resolve("team-a");
    String taker = "file:" + directory.resolve("team-b");

    Cli.Run conflict = cli.run("apply", "-f", directory.resolve("team-b").toString());
    Cli.Run dryRun = cli.run("apply", "-f", directory.resolve("team-b").toString(), "--dry-run");
    AgentProto.Service unchanged =
        api().getService(AgentProto.GetServiceRequest.newBuilder().setName("web").build());
    Cli.Run dryTakeOver =
        cli.run("apply", "-f", directory.resolve("team-b").toString(), "--dry-run", "--take-over");
    Cli.Run takeOver =
        cli.run("apply", "-f", directory.resolve("team-b").toString(), "--take-over");

    String refusal =
        "error: web.toml: is declared by another source, \""
            + owner
            + "\" (this apply's is \""
            + taker
            + "\"); take it over explicitly to move it (take_over, berth apply --take-over)\n";
    assertThat(conflict.exitCode()).isEqualTo(ExitCodes.CONFLICT);
    assertThat(conflict.err()).isEqualTo(refusal);
    assertThat(dryRun.exitCode()).isEqualTo(ExitCodes.CONFLICT);
    assertThat(dryRun.err()).isEqualTo(refusal);
    assertThat(unchanged.getSource()).isEqualTo(owner);
    assertThat(unchanged.getGeneration()).isEqualTo(1);
    assertThat(dryTakeOver.exitCode()).as(dryTakeOver.err()).isZero();
    assertThat(dryTakeOver.outLines())
        .containsExactly(
            "web would be updated (generation 2), taken over from " + owner,
            "  ~ source: \"" + owner + "\" -> \"" + taker + "\"",
            "  + comment: \"team b's\"",
            "dry run: nothing was changed");
    assertThat(takeOver.exitCode()).as(takeOver.err()).isZero();
    assertThat(takeOver.out())
        .isEqualTo("web updated (generation 2), taken over from " + owner + "\n");
    assertThat(
            api()
                .getService(AgentProto.GetServiceRequest.newBuilder().setName("web").build())
                .getSource())
        .isEqualTo(taker);
    assertThat(first).exists();
    assertThat(second).exists();
    assertThat(doc())
        .contains("is declared by another source, \"file:/srv/team-a\"")
        .contains("taken over from file:/srv/team-a");
  }

  @Test
  void aServiceAppliedWithoutASourceBelongsToApiAndAFileMustTakeItOver() throws Exception {
    api().apply(AgentProto.ApplyRequest.newBuilder().addServices(stopped("tool-made")).build());
    Path file = serviceFile("files", "tool-made", "");

    Cli.Run run = cli.run("apply", "-f", file.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFLICT);
    assertThat(run.err()).contains("is declared by another source, \"api\"");
    assertThat(doc()).contains("the source `api`");
  }

  // ---- dry run of a new service ----

  @Test
  void aDryRunOfANewServicePrintsItsFieldsAsATreeAsTheDocShows() throws Exception {
    Path file = serviceFile("fresh", "worker", "");

    Cli.Run run = cli.run("apply", "-f", file.toString(), "--dry-run");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.outLines())
        .startsWith("worker would be created (generation 1)")
        .contains(
            "  + name: \"worker\"",
            "  + state: \"stopped\"",
            "  + components[0].name: \"app\"",
            "  + components[0].executable: \"/bin/sh\"",
            "  + components[0].cmd[0]: \"-c\"",
            "  + components[0].cmd[1]: \"sleep 600\"")
        .endsWith("dry run: nothing was changed")
        .allSatisfy(line -> assertThat(line).doesNotContain("{").doesNotStartWith("  + :"));
    assertThat(declared()).isEmpty();
    assertThat(doc()).contains("$ berth apply -f worker.toml --dry-run\n" + run.out());
  }
}
