package dev.berth.runner.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.acme.AcmeConfig;
import dev.berth.reconcilers.cert.KeyType;
import dev.berth.reconcilers.cert.local.LocalCaConfig;
import dev.berth.reconcilers.port.PortRange;
import dev.berth.reconcilers.route.nginx.NginxConfig;
import dev.berth.reconcilers.stage.BootStage;
import dev.berth.runtime.podman.PodmanConfig;
import dev.berth.runtime.process.ProcessRuntimeConfig;
import dev.berth.runtime.qemu.QemuConfig;
import dev.berth.spec.model.ProbeType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file that sets every key loads every value, with relative paths from the working directory. */
class AgentConfigFullFileTest {

  static final String FULL =
      """
      node = "node-1.example.net"
      data_dir = "state"

      [api]
      socket = "run/berth.sock"
      tcp = "0.0.0.0:7443"
      token_file = "secrets/token"

      [api.tls]
      cert_file = "tls/agent.pem"
      key_file = "tls/agent-key.pem"
      client_ca_file = "tls/clients-ca.pem"
      allowed_subjects = ["CN=ops,O=example", "CN=ci, O=example"]

      [metrics]
      listen = "[::1]:9100"

      [runtimes]
      enabled = ["process", "qemu"]

      [runtimes.process]
      log_max_bytes = 1048576
      log_keep = 5

      [runtimes.podman]
      binary = "/usr/local/bin/podman"
      containers_conf = "containers.conf"
      command_timeout = "90s"
      pull_timeout = "1h"

      [runtimes.qemu]
      binary = "qemu-system-aarch64"
      accel = "kvm"
      machine = "virt"
      cpu = "host"
      nic_model = "e1000"
      memory_mb = 512
      vcpus = 2
      log_max_bytes = 2097152
      log_keep = 1

      [ports]
      range = "20000-20999"

      [routes]
      enabled = true
      nginx = "/usr/sbin/nginx"
      conf_dir = "proxy/conf"
      prefix = "proxy/run"
      listen_address = "192.0.2.10"
      stream_module = ""
      start_nginx = false
      stop_nginx_on_exit = true
      command_timeout = "20s"
      reload_timeout = "15s"
      stop_timeout = "5s"
      default_domain = "apps.example.net"

      [certificates]
      dir = "certs"
      renew_before = "20d"
      remove_unused = true
      internal_suffixes = [".corp", ".Internal"]

      [certificates.acme]
      directory = "https://acme.example/directory"
      email = "ops@example.net"
      account_key = "acme/account.pem"
      trust_file = "tls/clients-ca.pem"
      eab_key_id = "kid-1"
      eab_hmac_key_file = "secrets/eab.key"
      challenge_port = 8080
      challenge_dir = "challenges"
      key_type = "rsa-2048"
      challenge_timeout = "1m"
      order_timeout = "10m"

      [certificates.local_ca]
      enabled = false
      dir = "ca"
      validity = "60d"

      [secrets]
      dir = "workload-secrets"

      [[stages]]
      name = "data"
      services = ["db", "cache"]
      timeout = "2m"
      required = true
      probe = "tcp"

      [[stages]]
      name = "apps"
      services = ["web"]
      timeout = "500ms"
      required = false
      probe = "none"

      [reconcile]
      workers = 8
      resync_period = "5m"
      relist_period = "10s"

      [registry]
      history_limit = 25
      """;

  @TempDir Path work;
  AgentConfig config;

  @BeforeEach
  void load() throws Exception {
    TestFiles.writeAll(work);
    Path file = Files.writeString(work.resolve("berth.toml"), FULL);
    config = AgentConfigLoader.load(Path.of("berth.toml"), work);
    assertThat(file).exists();
  }

  @Test
  void topLevelKeys() {
    assertThat(config.source()).isEqualTo("berth.toml");
    assertThat(config.node()).isEqualTo("node-1.example.net");
    assertThat(config.dataDir()).isEqualTo(work.resolve("state"));
    assertThat(config.ports()).isEqualTo(new PortRange(20000, 20999));
  }

  @Test
  void api() {
    ApiConfig api = config.api();
    assertThat(api.socket()).isEqualTo(work.resolve("run/berth.sock"));
    assertThat(api.tcp()).isEqualTo(new HostPort("0.0.0.0", 7443));
    assertThat(api.tokenFile()).isEqualTo(work.resolve("secrets/token"));
    TlsConfig tls = api.tls();
    assertThat(tls.certFile()).isEqualTo(work.resolve("tls/agent.pem"));
    assertThat(tls.keyFile()).isEqualTo(work.resolve("tls/agent-key.pem"));
    assertThat(tls.clientCaFile()).isEqualTo(work.resolve("tls/clients-ca.pem"));
    assertThat(tls.allowedSubjects())
        .containsExactly(
            new X500Principal("CN=ops,O=example"), new X500Principal("CN=ci,O=example"));
    assertThat(tls.allows(new X500Principal("cn=ops, o=example"))).isTrue();
    assertThat(tls.allows(new X500Principal("CN=intruder,O=example"))).isFalse();
  }

  @Test
  void metrics() {
    assertThat(config.metrics().listen()).isEqualTo(new HostPort("::1", 9100));
    assertThat(config.metrics().listen().toString()).isEqualTo("[::1]:9100");
  }

  @Test
  void runtimes() {
    RuntimesConfig runtimes = config.runtimes();
    assertThat(runtimes.enabled()).containsExactly(RuntimeName.PROCESS, RuntimeName.QEMU);
    assertThat(runtimes.process())
        .isEqualTo(new ProcessRuntimeConfig(work.resolve("state/process"), 1048576, 5));
    PodmanConfig podman =
        new PodmanConfig(
            "/usr/local/bin/podman",
            work.resolve("containers.conf"),
            Duration.ofSeconds(90),
            Duration.ofHours(1));
    assertThat(runtimes.podman()).isEqualTo(podman);
    assertThat(runtimes.qemu())
        .isEqualTo(
            new QemuConfig(
                "qemu-system-aarch64",
                "kvm",
                "virt",
                "host",
                "e1000",
                work.resolve("state/qemu"),
                512,
                2,
                2097152,
                1,
                podman));
  }

  @Test
  void routes() {
    assertThat(config.routes())
        .isEqualTo(
            new RoutesConfig(
                true,
                NginxConfig.builder(work.resolve("proxy/conf"), work.resolve("proxy/run"))
                    .binary("/usr/sbin/nginx")
                    .listenAddress("192.0.2.10")
                    .streamModule(null)
                    .startIfNotRunning(false)
                    .commandTimeout(Duration.ofSeconds(20))
                    .reloadTimeout(Duration.ofSeconds(15))
                    .stopTimeout(Duration.ofSeconds(5))
                    .build(),
                true,
                "apps.example.net"));
  }

  @Test
  void certificates() {
    CertificatesConfig certificates = config.certificates();
    assertThat(certificates.dir()).isEqualTo(work.resolve("certs"));
    assertThat(certificates.renewBefore()).isEqualTo(Duration.ofDays(20));
    assertThat(certificates.removeUnused()).isTrue();
    assertThat(certificates.internalSuffixes()).containsExactly(".corp", ".internal");
    assertThat(certificates.acme())
        .isEqualTo(
            new AcmeSetup(
                AcmeConfig.builder(
                        URI.create("https://acme.example/directory"),
                        work.resolve("acme/account.pem"))
                    .contactEmail("ops@example.net")
                    .extraTrust(work.resolve("tls/clients-ca.pem"))
                    .externalAccountBinding("kid-1", TestFiles.EAB_HMAC_KEY)
                    .keyType(KeyType.RSA_2048)
                    .challengeTimeout(Duration.ofMinutes(1))
                    .orderTimeout(Duration.ofMinutes(10))
                    .build(),
                work.resolve("secrets/eab.key"),
                new NginxConfig.AcmeChallenge(8080, work.resolve("challenges"))));
    assertThat(certificates.localCa())
        .isEqualTo(new LocalCaConfig(false, work.resolve("ca"), Duration.ofDays(60)));
  }

  @Test
  void stagesInOrder() {
    assertThat(config.stages())
        .containsExactly(
            new BootStage(
                "data", List.of("db", "cache"), Duration.ofMinutes(2), ProbeType.TCP, true),
            new BootStage("apps", List.of("web"), Duration.ofMillis(500), null, false));
  }

  @Test
  void secretsDirResolvesAgainstTheWorkingDirectory() {
    assertThat(config.secretsDir()).isEqualTo(work.resolve("workload-secrets"));
  }

  @Test
  void reconcile() {
    assertThat(config.reconcile())
        .isEqualTo(new ReconcileConfig(8, Duration.ofMinutes(5), Duration.ofSeconds(10)));
  }

  @Test
  void registry() {
    assertThat(config.registrySettings()).isEqualTo(new RegistrySettings(25));
    assertThat(config.registry().historyPerService()).isEqualTo(25);
  }

  @Test
  void theDescriptionLoadsBackAsTheSameConfiguration() throws Exception {
    Path elsewhere = Files.createDirectories(work.resolve("elsewhere"));
    Files.writeString(elsewhere.resolve("berth.toml"), config.describe());

    AgentConfig reloaded = AgentConfigLoader.load(Path.of("berth.toml"), elsewhere);

    assertThat(reloaded).isEqualTo(config);
  }

  @Test
  void theDescriptionNamesSecretFilesButNeverTheirContent() {
    String description = config.describe();

    assertThat(description)
        .contains("token_file = \"" + work.resolve("secrets/token") + "\"")
        .contains("eab_hmac_key_file = ")
        .doesNotContain("s3cret-token")
        .doesNotContain("c2VjcmV0");
  }

  @Test
  void theDefaultsDescriptionLoadsBackToo() throws Exception {
    AgentConfig defaults = AgentConfigLoader.defaults(work);
    Files.writeString(work.resolve("defaults.toml"), defaults.describe());

    AgentConfig reloaded = AgentConfigLoader.load(Path.of("defaults.toml"), work);

    assertThat(reloaded.describe().lines().skip(1))
        .containsExactlyElementsOf(defaults.describe().lines().skip(1).toList());
  }
}
