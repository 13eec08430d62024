package dev.berth.runner.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.kubernetes.plan.ClusterLabels;
import dev.berth.kubernetes.plan.OperatorConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code berth operator --config}: docs/kubernetes.md's key table is {@link
 * OperatorConfigLoader#KEYS}, row for row, its example loads, and the defaults it states are the
 * ones the loader gives.
 */
class OperatorConfigDocTest {

  static final Path DOC = Path.of("..", "docs", "kubernetes.md");

  static String doc() throws IOException {
    return Files.readString(DOC, StandardCharsets.UTF_8);
  }

  @Test
  void theDocTableHasARowForEveryKeyAndNoOther() throws IOException {
    String doc = doc();
    String table =
        doc.substring(
            doc.indexOf("| key | type | default | rule |"), doc.indexOf("A stage is ready"));
    for (OperatorConfigLoader.Key key : OperatorConfigLoader.KEYS) {
      assertThat(table).contains(key.row());
    }
    assertThat(table.lines().filter(line -> line.startsWith("| `")).count())
        .isEqualTo(OperatorConfigLoader.KEYS.size());
  }

  @Test
  void theDocsExampleLoads() throws IOException {
    String doc = doc();
    int start = doc.indexOf("```toml\n", doc.indexOf("## Configuration")) + "```toml\n".length();
    String example = doc.substring(start, doc.indexOf("```", start));

    OperatorConfigLoader.Loaded loaded = OperatorConfigLoader.read(example, "operator.toml");

    assertThat(loaded.metricsListen()).hasToString("0.0.0.0:9464");
    assertThat(loaded.settings().stages())
        .extracting(s -> s.name() + "=" + s.services())
        .containsExactly("data=[db]", "apps=[web, shop/api]");
  }

  @Test
  void withoutAFileEveryDefaultIsTheDocumentedOne() {
    OperatorConfigLoader.Loaded loaded = OperatorConfigLoader.defaults();

    assertThat(loaded.metricsListen()).hasToString("127.0.0.1:9464");
    assertThat(loaded.settings().resync()).isEqualTo(Duration.ofMinutes(10));
    OperatorConfig planner = loaded.settings().planner();
    assertThat(planner.firstRoutePort()).isEqualTo(8080);
    assertThat(planner.gateway().name()).isEqualTo("berth-passthrough");
    assertThat(planner.gateway().namespace()).isNull();
    assertThat(planner.certificates().issuer())
        .isEqualTo(new OperatorConfig.IssuerRef("ClusterIssuer", "berth"));
    assertThat(planner.ingressClassName()).isNull();
    assertThat(planner.defaultDomain()).isNull();
    assertThat(planner.allowFloatingTags()).isFalse();
    assertThat(loaded.settings().stages()).isEmpty();
  }

  @Test
  void everyKeyIsReadFromAFile() {
    OperatorConfigLoader.Loaded loaded =
        OperatorConfigLoader.read(
            String.join(
                "\n",
                "resync_period = \"2m\"",
                "ingress_class = \"nginx\"",
                "default_domain = \"apps.example.test\"",
                "first_route_port = 9000",
                "allow_floating_tags = true",
                "[metrics]",
                "listen = \"\"",
                "[gateway]",
                "name = \"edge\"",
                "namespace = \"gateways\"",
                "section = \"tls\"",
                "[certificates]",
                "source = \"secrets\"",
                "[[stages]]",
                "name = \"data\"",
                "services = [\"db\"]",
                "timeout = \"7m\"",
                "required = false",
                ""),
            "operator.toml");

    assertThat(loaded.metricsListen()).isNull();
    assertThat(loaded.settings().resync()).isEqualTo(Duration.ofMinutes(2));
    OperatorConfig planner = loaded.settings().planner();
    assertThat(planner.ingressClassName()).isEqualTo("nginx");
    assertThat(planner.defaultDomain()).isEqualTo("apps.example.test");
    assertThat(planner.firstRoutePort()).isEqualTo(9000);
    assertThat(planner.allowFloatingTags()).isTrue();
    assertThat(planner.gateway())
        .isEqualTo(new OperatorConfig.GatewayRef("gateways", "edge", "tls"));
    assertThat(planner.certificates().usesCertManager()).isFalse();
    assertThat(loaded.settings().stages())
        .singleElement()
        .satisfies(
            stage -> {
              assertThat(stage.timeout()).isEqualTo(Duration.ofMinutes(7));
              assertThat(stage.required()).isFalse();
            });
  }

  @Test
  void everyProblemIsReportedAtOnceWithItsKeyPath() {
    assertThatThrownBy(
            () ->
                OperatorConfigLoader.read(
                    String.join(
                        "\n",
                        "resync = \"1m\"",
                        "first_route_port = 70000",
                        "[certificates]",
                        "issuer_kind = \"Authority\"",
                        "[[stages]]",
                        "services = [\"Web\"]",
                        ""),
                    "operator.toml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("resync")
        .hasMessageContaining("first_route_port: must be 1..65535")
        .hasMessageContaining("certificates.issuer_kind: must be one of ClusterIssuer, Issuer")
        .hasMessageContaining("stages[0].name: is required")
        .hasMessageContaining("stages[0].services[0]");
  }

  @Test
  void withTheLocalCaItsDirectoryValidityAndRenewalAreRead() {
    OperatorConfigLoader.Loaded loaded =
        OperatorConfigLoader.read(
            String.join(
                "\n",
                "[certificates]",
                "source = \"local-ca\"",
                "renew_before = \"10d\"",
                "[certificates.local_ca]",
                "dir = \"/var/lib/berth/local-ca\"",
                "validity = \"20d\"",
                ""),
            "operator.toml");

    OperatorConfig.CertificateSource source = loaded.settings().planner().certificates();
    assertThat(source.issuesOwn()).isTrue();
    assertThat(source.renewBefore()).isEqualTo(Duration.ofDays(10));
    assertThat(loaded.localCa().directory()).isEqualTo(Path.of("/var/lib/berth/local-ca"));
    assertThat(loaded.localCa().leafValidity()).isEqualTo(Duration.ofDays(20));
  }

  @Test
  void theLocalCaDefaultsAreTheDocumentedOnes() {
    OperatorConfigLoader.Loaded loaded =
        OperatorConfigLoader.read(
            "[certificates]\nsource = \"local-ca\"\n[certificates.local_ca]\ndir = \"ca\"\n",
            "operator.toml");

    assertThat(loaded.settings().planner().certificates().renewBefore())
        .isEqualTo(Duration.ofDays(30));
    assertThat(loaded.localCa().leafValidity()).isEqualTo(Duration.ofDays(90));
    assertThat(loaded.localCa().directory()).isEqualTo(Path.of("ca").toAbsolutePath());
    assertThat(OperatorConfigLoader.defaults().localCa()).isNull();
  }

  @Test
  void theLocalCaNeedsItsDirectoryAndAValidityLongerThanRenewBefore() {
    assertThatThrownBy(
            () ->
                OperatorConfigLoader.read(
                    String.join(
                        "\n",
                        "[certificates]",
                        "source = \"local-ca\"",
                        "[certificates.local_ca]",
                        "validity = \"30d\"",
                        ""),
                    "operator.toml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("certificates.local_ca.dir: is required with certificates.source")
        .hasMessageContaining("certificates.local_ca.validity: must be longer than");
  }

  @Test
  void localCaSettingsAreRefusedWithAnotherSource() {
    assertThatThrownBy(
            () ->
                OperatorConfigLoader.read(
                    String.join(
                        "\n",
                        "[certificates]",
                        "source = \"secrets\"",
                        "renew_before = \"10d\"",
                        "[certificates.local_ca]",
                        "dir = \"ca\"",
                        ""),
                    "operator.toml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("certificates.local_ca: is read only with certificates.source")
        .hasMessageContaining("certificates.renew_before: is read only with certificates.source");
  }

  @Test
  void theDocNamesTheAnnotationsTheOperatorWritesOnItsSecrets() throws IOException {
    assertThat(doc())
        .contains("`" + ClusterLabels.CERTIFICATE_NAMES + "`")
        .contains("`" + ClusterLabels.CERTIFICATE_NOT_AFTER + "`")
        .contains(
            "tried again "
                + OperatorConfig.DEFAULT_NO_EVENT_RECHECK.toSeconds()
                + " seconds later");
  }
}
