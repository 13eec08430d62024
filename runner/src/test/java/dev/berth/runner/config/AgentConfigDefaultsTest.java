package dev.berth.runner.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconcilers.cert.IssuerPolicy;
import dev.berth.reconcilers.cert.KeyType;
import dev.berth.reconcilers.port.PortRange;
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
  }

  @Test
  void theNodeIsNamedAfterTheHost() {
    assertThat(AgentConfigLoader.defaults(work).node()).isEqualTo(HostName.local()).isNotEmpty();
  }

  @Test
  void runtimesAreDetectedAutomaticallyWithTheRuntimesOwnDefaults() {
    RuntimesConfig runtimes = AgentConfigLoader.defaults(work).runtimes();

    assertThat(runtimes.automatic()).isTrue();
    assertThat(runtimes.process()).isEqualTo(new ProcessSettings(10L * 1024 * 1024, 3));
    assertThat(runtimes.podman())
        .isEqualTo(
            new PodmanSettings("podman", null, Duration.ofSeconds(60), Duration.ofMinutes(15)));
    assertThat(runtimes.qemu())
        .isEqualTo(
            new QemuSettings(
                "qemu-system-x86_64",
                "tcg",
                "q35",
                null,
                "virtio-net-pci",
                256,
                1,
                10L * 1024 * 1024,
                3));
  }

  @Test
  void routesAreOffAndNginxDirectoriesDeriveFromTheDataDirectory() {
    RoutesConfig routes = AgentConfigLoader.defaults(work).routes();

    assertThat(routes.enabled()).isFalse();
    assertThat(routes.nginx()).isEqualTo("nginx");
    assertThat(routes.confDir()).isEqualTo(work.resolve("berth-data/nginx"));
    assertThat(routes.prefix()).isEqualTo(work.resolve("berth-data/nginx/run"));
    assertThat(routes.listenAddress()).isEqualTo("0.0.0.0");
    assertThat(routes.streamModule()).isEqualTo(RoutesConfig.DEFAULT_STREAM_MODULE);
    assertThat(routes.startNginx()).isTrue();
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
            new LocalCaSettings(true, work.resolve("berth-data/local-ca"), Duration.ofDays(90)));
  }

  @Test
  void reconcileDefaultsAreTheNodes() {
    assertThat(AgentConfigLoader.defaults(work).reconcile())
        .isEqualTo(new ReconcileConfig(4, Duration.ofMinutes(10), Duration.ofSeconds(30)));
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

    AcmeSettings acme = config.certificates().acme();
    assertThat(acme.accountKey()).isEqualTo(work.resolve("berth-data/acme/account.pem"));
    assertThat(acme.challengeDir()).isEqualTo(work.resolve("berth-data/acme-challenges"));
    assertThat(acme.challengePort()).isEqualTo(80);
    assertThat(acme.keyType()).isEqualTo(KeyType.EC_P256);
    assertThat(acme.email()).isNull();
    assertThat(acme.externalAccountBinding()).isFalse();
  }
}
