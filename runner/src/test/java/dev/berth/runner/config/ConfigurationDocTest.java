package dev.berth.runner.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/configuration.md stays true: its example loads, and it documents every key. */
class ConfigurationDocTest {

  static final Path DOC = Path.of("..", "docs", "configuration.md");

  @TempDir Path root;

  @Test
  void theCompleteExampleLoads() throws Exception {
    Path etc = Files.createDirectories(root.resolve("etc/berth"));
    TestFiles.writeAll(etc);
    Files.copy(etc.resolve(TestFiles.CLIENT_CA), etc.resolve("tls/acme-ca.pem"));
    String example =
        completeExample()
            .replace("/etc/berth/", etc + "/")
            .replace("/var/lib/berth", root + "/var/lib/berth")
            .replace("/run/berth/", root + "/run/berth/");
    Files.writeString(root.resolve("berth.toml"), example);

    AgentConfig config = AgentConfigLoader.load(Path.of("berth.toml"), root);

    assertThat(config.dataDir()).isEqualTo(root.resolve("var/lib/berth"));
    assertThat(config.api().tls().allowedSubjects()).hasSize(2);
    assertThat(config.runtimes().enabled()).hasSize(3);
    assertThat(config.certificates().acme().config().externalAccountBinding()).isNotNull();
    assertThat(config.stages()).extracting(StageConfig::name).containsExactly("data", "apps");
  }

  @Test
  void everyKeyHasARowInTheReference() throws Exception {
    String doc = Files.readString(DOC);
    List<String> keys = new ArrayList<>();
    keys.addAll(AgentConfigLoader.KEYS.stream().filter(k -> k.matches("node|data_dir")).toList());
    add(keys, "api", ApiSection.KEYS.stream().filter(k -> !k.equals("tls")).toList());
    add(keys, "api.tls", ApiSection.TLS_KEYS);
    add(keys, "metrics", AgentConfigLoader.METRICS_KEYS);
    add(keys, "runtimes", List.of("enabled"));
    add(keys, "runtimes.process", RuntimesSection.PROCESS_KEYS);
    add(keys, "runtimes.podman", RuntimesSection.PODMAN_KEYS);
    add(keys, "runtimes.qemu", RuntimesSection.QEMU_KEYS);
    add(keys, "ports", AgentConfigLoader.PORTS_KEYS);
    add(keys, "routes", RoutesSection.KEYS);
    add(
        keys,
        "certificates",
        CertificatesSection.KEYS.stream().filter(k -> !k.matches("acme|local_ca")).toList());
    add(keys, "certificates.acme", AcmeSection.KEYS);
    add(keys, "certificates.local_ca", CertificatesSection.LOCAL_CA_KEYS);
    add(keys, "stages[]", StagesSection.KEYS);
    add(keys, "reconcile", AgentConfigLoader.RECONCILE_KEYS);

    for (String key : keys) {
      assertThat(doc).as("a reference row for " + key).contains("| `" + key + "` |");
    }
  }

  private static void add(List<String> keys, String table, List<String> names) {
    names.forEach(name -> keys.add(table + "." + name));
  }

  private static String completeExample() throws Exception {
    String doc = Files.readString(DOC);
    int marker = doc.indexOf("<!-- complete-example");
    int start = doc.indexOf("```toml\n", marker) + "```toml\n".length();
    return doc.substring(start, doc.indexOf("```", start));
  }
}
