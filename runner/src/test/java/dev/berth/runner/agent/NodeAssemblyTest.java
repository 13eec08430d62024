package dev.berth.runner.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.berth.reconcilers.cert.CertificateDirectory;
import dev.berth.reconcilers.cert.Pem;
import dev.berth.reconcilers.service.ServicePlanner;
import dev.berth.runner.config.AgentConfig;
import dev.berth.runner.config.AgentConfigLoader;
import dev.berth.runner.config.ConfigException;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadKind;
import dev.berth.spec.model.HealthProbe;
import dev.berth.spec.model.ProbeType;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.validation.InvalidSpecException;
import dev.berth.spec.validation.Violation;
import dev.berth.store.registry.CertificateRecord;
import dev.berth.store.registry.Condition;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node the agent makes from its configuration, with real parts: processes, a real CA. */
class NodeAssemblyTest {

  @TempDir Path root;

  @Test
  void aProcessNodeRunsADeclaredServiceAndStops() throws Exception {
    try (NodeFixture fixture = NodeFixture.start(root, "")) {
      assertThat(fixture.assembly.runtimeNames()).containsExactly("process");

      fixture.apply(NodeFixture.sleeper("worker"));

      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(fixture.workloadsOf("worker"))
                      .singleElement()
                      .extracting(Workload::running)
                      .isEqualTo(true));
      await().atMost(Duration.ofSeconds(20)).until(fixture.node::ready);
      assertThat(fixture.config.dataDir().resolve("process")).isDirectory();
      assertThat(
              fixture
                  .meters
                  .find("controller.runtime.reconcile")
                  .tag("controller", "services")
                  .counters())
          .isNotEmpty();
      assertThat(fixture.node.stop(Duration.ofSeconds(10))).isTrue();
      // Stopping the loops leaves the workload running, as an agent restart must.
      assertThat(fixture.workloadsOf("worker")).singleElement().matches(Workload::running);
    }
  }

  @Test
  void theAgentsNodeProbesADeclaredGrpcHealthService() throws Exception {
    // The gRPC prober lives in berth-probe-grpc: the agent must pass it to the node's loops.
    HealthStatusManager health = new HealthStatusManager();
    health.setStatus("", ServingStatus.SERVING);
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(health.getHealthService())
            .build()
            .start();
    try (NodeFixture fixture = NodeFixture.start(root, "")) {
      ServiceSpec sleeper = NodeFixture.sleeper("probed");
      fixture.apply(
          sleeper.withComponents(
              List.of(
                  sleeper.components().get(0).toBuilder()
                      .health(new HealthProbe(ProbeType.GRPC, server.getPort(), null, null))
                      .build())));

      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> ready(fixture).map(c -> c.status() + " " + c.reason()),
              found -> found.equals(Optional.of(Condition.Status.TRUE + " Running")));

      health.setStatus("", ServingStatus.NOT_SERVING);

      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> ready(fixture),
              found ->
                  found.isPresent()
                      && found.get().reason().equals(ServicePlanner.PROBE_FAILING)
                      && found.get().message().contains("NOT_SERVING"));
    } finally {
      health.enterTerminalState();
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static Optional<Condition> ready(NodeFixture fixture) {
    return fixture.registry.status().conditions("probed").stream()
        .filter(c -> c.component().equals("main") && c.type().equals("Ready"))
        .findFirst();
  }

  @Test
  void anInternalNameGetsItsCertificateFromTheLocalCa() throws Exception {
    String hostname = "tools.berth.internal";
    try (NodeFixture fixture = NodeFixture.start(root, "")) {
      fixture.apply(fixture.website("tools", 18443, hostname, "tools"));

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(fixture.registry.certificates().get(hostname))
                      .get()
                      .extracting(CertificateRecord::issuer, CertificateRecord::status)
                      .containsExactly("local-ca", "valid"));
      Path certificates = fixture.config.certificates().dir();
      CertificateDirectory.Stored stored = new CertificateDirectory(certificates).locate(hostname);
      List<X509Certificate> chain = Pem.decodeCertificates(Files.readString(stored.fullChain()));
      X509Certificate ca = fixture.assembly.localCa().orElseThrow().caCertificate();
      assertThat(chain.get(0).getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
      assertThat(fixture.config.certificates().localCa().directory().resolve("ca.pem"))
          .isRegularFile();
    }
  }

  @Test
  void withoutADefaultDomainAnL7RouteWithoutHostnameIsRefusedNamingTheSetting() throws Exception {
    try (NodeFixture fixture = NodeFixture.start(root, "")) {
      InvalidSpecException refused =
          catchThrowableOfType(
              InvalidSpecException.class,
              () -> fixture.apply(fixture.website("tools", 8443, null, "hello")));

      assertThat(refused.violations())
          .extracting(Object::toString)
          .containsExactly(
              "services[tools].components[0].routes[0].hostname: an l7 route without a hostname"
                  + " is served at tools.<routes.default_domain>, and the agent setting"
                  + " routes.default_domain is not set; set it, or give the route a hostname");
      assertThat(fixture.registry.services().names()).isEmpty();
    }
  }

  @Test
  void withTheLocalCaDisabledAndNoAcmeThereIsNoIssuer() throws Exception {
    try (NodeFixture fixture =
        NodeFixture.start(root, "[certificates.local_ca]\nenabled = false\n")) {
      assertThat(fixture.assembly.localCa()).isEmpty();
    }
  }

  @Test
  void automaticDetectionLeavesOutRuntimesWhoseProgramIsMissing() throws Exception {
    AgentConfig config =
        load(
            "[runtimes.podman]\nbinary = \"/nonexistent/podman\"\n"
                + "[runtimes.qemu]\nbinary = \"/nonexistent/qemu\"\n");

    try (NodeAssembly assembly = NodeAssembly.assemble(config, null)) {
      assertThat(assembly.runtimeNames()).containsExactly("process");
      assertThat(assembly.runtime().kinds()).containsExactly(WorkloadKind.PROCESS);
    }
  }

  @Test
  void automaticDetectionTakesARuntimeWhoseProgramIsThere() throws Exception {
    AgentConfig config =
        load(
            "[runtimes.podman]\nbinary = \"/nonexistent/podman\"\n"
                + "[runtimes.qemu]\nbinary = \"/bin/true\"\n");

    try (NodeAssembly assembly = NodeAssembly.assemble(config, null)) {
      assertThat(assembly.runtimeNames()).containsExactly("process", "qemu");
      assertThat(assembly.runtime().kinds())
          .containsExactlyInAnyOrder(WorkloadKind.PROCESS, WorkloadKind.UNIKERNEL);
    }
  }

  @Test
  void anEnabledRuntimeWithoutItsProgramAndRoutesWithoutNginxAreReportedTogether()
      throws Exception {
    AgentConfig config =
        load(
            "[runtimes]\nenabled = [\"process\", \"podman\"]\n"
                + "[runtimes.podman]\nbinary = \"/nonexistent/podman\"\n"
                + "[routes]\nenabled = true\nnginx = \"no-such-nginx-binary\"\n");

    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> NodeAssembly.assemble(config, null));

    assertThat(e.errors())
        .extracting(Violation::path)
        .containsExactly("runtimes.enabled[1]", "routes.nginx");
    assertThat(e.getMessage())
        .contains(
            "berth.toml: runtimes.enabled[1]: podman is enabled but its program"
                + " \"/nonexistent/podman\" is not an executable file")
        .contains(
            "berth.toml: routes.nginx: routes are enabled but nginx \"no-such-nginx-binary\" is"
                + " not found on the PATH");
    assertThat(config.dataDir()).doesNotExist();
  }

  @Test
  void aChallengePortInUseIsReportedAtItsKey() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      AgentConfig config =
          load(
              "[routes]\nlisten_address = \"127.0.0.1\"\n"
                  + "[certificates.acme]\ndirectory = \"https://127.0.0.1:14000/dir\"\n"
                  + "challenge_port = "
                  + taken.getLocalPort()
                  + "\n");

      ConfigException e =
          catchThrowableOfType(ConfigException.class, () -> NodeAssembly.assemble(config, null));

      assertThat(e.errors())
          .singleElement()
          .extracting(Violation::path)
          .isEqualTo("certificates.acme.challenge_port");
    }
  }

  private AgentConfig load(String toml) throws Exception {
    Files.writeString(root.resolve("berth.toml"), "data_dir = \"data\"\n" + toml);
    return AgentConfigLoader.load(Path.of("berth.toml"), root);
  }
}
