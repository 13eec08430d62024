package dev.berth.runner.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.acme.AcmeConfig;
import dev.berth.reconcilers.cert.IssuerPolicy;
import dev.berth.reconcilers.cert.KeyType;
import dev.berth.reconcilers.cert.local.LocalCaConfig;
import dev.berth.reconcilers.port.PortRange;
import dev.berth.reconcilers.route.nginx.NginxConfig;
import dev.berth.runtime.podman.PodmanConfig;
import dev.berth.runtime.process.ProcessRuntimeConfig;
import dev.berth.runtime.qemu.QemuConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without a file, or with an empty one, every key has its documented default. */
class AgentConfigDefaultsTest {

  @TempDir Path work;

  @Test
  void defaultsNeedNoFileAndResolvePathsAgainstTheWorkingDirectory() {
    AgentConfig config = AgentConfigLoader.defaults(work);

    assertThat(config.source()).isEqualTo(AgentConfig.DEFAULTS_SOURCE);
    assertThat(config.dataDir()).isEqualTo(work.resolve("berth-data"));
    assertThat(config.api().socket()).isEqualTo(work.resolve("berth.sock"));
    assertThat(config.api().tcp()).isNull();
    assertThat(config.api().tokenFile()).isNull();
    assertThat(config.api().tls()).isNull();
    assertThat(config.metrics().listen()).isEqualTo(new HostPort("127.0.0.1", 9464));
    assertThat(config.ports()).isEqualTo(PortRange.DEFAULT);
    assertThat(config.stages()).isEmpty();
    assertThat(config.secretsDir()).isEqualTo(work.resolve("berth-data/secrets"));
  }

  @Test
  void theNodeIsNamedAfterTheHost() {
    assertThat(AgentConfigLoader.defaults(work).node()).isEqualTo(HostName.local()).isNotEmpty();
  }

  @Test
  void runtimesAreDetectedAutomaticallyWithTheRuntimesOwnDefaults() {
    RuntimesConfig runtimes = AgentConfigLoader.defaults(work).runtimes();

    assertThat(runtimes.automatic()).isTrue();
    assertThat(runtimes.process())
        .isEqualTo(
            new ProcessRuntimeConfig(work.resolve("berth-data/process"), 10L * 1024 * 1024, 3));
    PodmanConfig podman =
        new PodmanConfig("podman", null, Duration.ofSeconds(60), Duration.ofMinutes(15));
    assertThat(runtimes.podman()).isEqualTo(podman);
    assertThat(runtimes.qemu())
        .isEqualTo(
            new QemuConfig(
                "qemu-system-x86_64",
                "tcg",
                "q35",
                null,
                "virtio-net-pci",
                work.resolve("berth-data/qemu"),
                256,
                1,
                10L * 1024 * 1024,
                3,
                podman));
  }

  @Test
  void routesAreOffAndNginxDirectoriesDeriveFromTheDataDirectory() {
    RoutesConfig routes = AgentConfigLoader.defaults(work).routes();

    assertThat(routes.enabled()).isFalse();
    NginxConfig nginx = routes.nginx();
    assertThat(nginx.binary()).isEqualTo("nginx");
    assertThat(nginx.configDirectory()).isEqualTo(work.resolve("berth-data/nginx"));
    assertThat(nginx.prefix()).isEqualTo(work.resolve("berth-data/nginx/run"));
    assertThat(nginx.listenAddress()).isEqualTo("0.0.0.0");
    assertThat(nginx.streamModule())
        .isEqualTo(Path.of("/usr/lib/nginx/modules/ngx_stream_module.so"));
    assertThat(nginx.startIfNotRunning()).isTrue();
    assertThat(nginx.commandTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(nginx.reloadTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(nginx.stopTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(nginx.acmeChallenge()).isNull();
    assertThat(routes.stopNginxOnExit()).isFalse();
  }

  @Test
  void certificatesComeFromTheLocalCaOnlyUntilAcmeIsConfigured() {
    CertificatesConfig certificates = AgentConfigLoader.defaults(work).certificates();

    assertThat(certificates.dir()).isEqualTo(work.resolve("berth-data/certificates"));
    assertThat(certificates.renewBefore()).isEqualTo(Duration.ofDays(30));
    assertThat(certificates.removeUnused()).isFalse();
    assertThat(certificates.internalSuffixes()).isEqualTo(IssuerPolicy.DEFAULT_INTERNAL_SUFFIXES);
    assertThat(certificates.acme()).isNull();
    assertThat(certificates.localCa())
        .isEqualTo(
            new LocalCaConfig(true, work.resolve("berth-data/local-ca"), Duration.ofDays(90)));
  }

  @Test
  void reconcileDefaultsAreTheNodes() {
    assertThat(AgentConfigLoader.defaults(work).reconcile())
        .isEqualTo(new ReconcileConfig(4, Duration.ofMinutes(10), Duration.ofSeconds(30)));
  }

  @Test
  void tenSpecsOfEachServiceAreKeptByDefault() {
    assertThat(AgentConfigLoader.defaults(work).registry().historyPerService()).isEqualTo(10);
  }

  @Test
  void anEmptyFileLoadsAsTheDefaults() throws Exception {
    Path file = Files.writeString(work.resolve("berth.toml"), "# nothing set\n");

    AgentConfig loaded = AgentConfigLoader.load(file, work);

    assertThat(loaded.source()).isEqualTo(file.toString());
    assertThat(loaded.describe().lines().skip(1))
        .containsExactlyElementsOf(
            AgentConfigLoader.defaults(work).describe().lines().skip(1).toList());
  }

  @Test
  void acmeDefaultsAreDerivedFromTheDataDirectory() {
    AgentConfig config =
        AgentConfigLoader.read(
            "[certificates.acme]\ndirectory = \"https://ca.example/dir\"\n",
            "berth.toml",
            work,
            false);

    AcmeSetup setup = config.certificates().acme();
    AcmeConfig acme = setup.config();
    assertThat(acme.accountKeyFile()).isEqualTo(work.resolve("berth-data/acme/account.pem"));
    assertThat(setup.challenge().directory()).isEqualTo(work.resolve("berth-data/acme-challenges"));
    assertThat(setup.challenge().port()).isEqualTo(80);
    assertThat(acme.keyType()).isEqualTo(KeyType.EC_P256);
    assertThat(acme.contactEmail()).isNull();
    assertThat(acme.externalAccountBinding()).isNull();
    assertThat(acme.challengeTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(acme.orderTimeout()).isEqualTo(Duration.ofMinutes(5));
  }
}
