package dev.berth.runner.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.reconcilers.stage.BootStage;
import dev.berth.spec.model.DurationSyntax;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/configuration.md stays true: its example loads, its reference tables are the key table's
 * rows, and {@code --print-config} writes every key of that table with its documented default.
 */
class ConfigurationDocTest {

  static final Path DOC = Path.of("..", "docs", "configuration.md");

  @TempDir Path root;

  @Test
  void theCompleteExampleLoads() throws Exception {
    AgentConfig config = loadCompleteExample();

    assertThat(config.dataDir()).isEqualTo(root.resolve("var/lib/berth"));
    assertThat(config.api().tls().allowedSubjects()).hasSize(2);
    assertThat(config.runtimes().enabled()).hasSize(3);
    assertThat(config.certificates().acme().config().externalAccountBinding()).isNotNull();
    assertThat(config.stages()).extracting(BootStage::name).containsExactly("data", "apps");
  }

  @Test
  void theReferenceTablesHaveARowForEveryKeyAndNoOther() throws Exception {
    List<String> rows =
        Files.readString(DOC).lines().filter(line -> line.startsWith("| `")).toList();
    List<String> referenceRows =
        rows.stream().filter(row -> row.split(" \\| ").length == 4).toList();

    assertThat(referenceRows)
        .containsExactlyElementsOf(ConfigKeys.ALL.stream().map(ConfigKeys.Key::row).toList());
  }

  @Test
  void printConfigWritesEveryKeyOfTheTable() throws Exception {
    AgentConfig config = loadCompleteExample();

    assertThat(printed(config).keySet())
        .containsExactlyInAnyOrderElementsOf(
            ConfigKeys.ALL.stream().map(ConfigKeys.Key::path).toList());
  }

  @Test
  void printConfigWritesTheDocumentedDefaults() {
    AgentConfig config = AgentConfigLoader.defaults(root);
    Map<String, String> printed = printed(config);
    List<String> checked = new ArrayList<>();

    for (ConfigKeys.Key key : ConfigKeys.ALL) {
      Matcher literal = LITERAL.matcher(key.defaultValue());
      String documented = null;
      while (literal.find()) {
        documented = literal.group(1);
      }
      if (documented == null || !printed.containsKey(key.path())) {
        continue; // no literal default (required, the host name), or a table that is not set
      }
      String expected =
          unquoted(documented)
              .replace("<data_dir>", config.dataDir().toString())
              .replace("./", root.toAbsolutePath() + "/");
      String actual = unquoted(printed.get(key.path()));
      if (key.type().equals("duration")) {
        assertThat(DurationSyntax.parse(actual))
            .as(key.path())
            .isEqualTo(DurationSyntax.parse(expected));
      } else {
        assertThat(actual).as(key.path()).isEqualTo(expected);
      }
      checked.add(key.path());
    }
    assertThat(checked).as("keys with a literal default").hasSizeGreaterThan(40);
  }

  private static final Pattern LITERAL = Pattern.compile("`([^`]*)`");

  /** The keys {@code describe()} writes, by key path ({@code stages[].name}), with their values. */
  private static Map<String, String> printed(AgentConfig config) {
    Map<String, String> values = new LinkedHashMap<>();
    String table = "";
    for (String line : config.describe().lines().toList()) {
      if (line.startsWith("[[")) {
        table = line.substring(2, line.length() - 2) + "[]";
      } else if (line.startsWith("[")) {
        table = line.substring(1, line.length() - 1);
      } else if (line.contains(" = ")) {
        String key = line.substring(0, line.indexOf(" = "));
        values.putIfAbsent(
            table.isEmpty() ? key : table + "." + key, line.substring(line.indexOf(" = ") + 3));
      }
    }
    return values;
  }

  /** {@code "15m"} and {@code 15m} are the same value; inner quotes stay. */
  private static String unquoted(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1)
        : value;
  }

  private AgentConfig loadCompleteExample() throws Exception {
    Path etc = Files.createDirectories(root.resolve("etc/berth"));
    TestFiles.writeAll(etc);
    Files.copy(etc.resolve(TestFiles.CLIENT_CA), etc.resolve("tls/acme-ca.pem"));
    String example =
        completeExample()
            .replace("/etc/berth/", etc + "/")
            .replace("/var/lib/berth", root + "/var/lib/berth")
            .replace("/run/berth/", root + "/run/berth/");
    Files.writeString(root.resolve("berth.toml"), example);
    return AgentConfigLoader.load(Path.of("berth.toml"), root);
  }

  private static String completeExample() throws Exception {
    String doc = Files.readString(DOC);
    int marker = doc.indexOf("<!-- complete-example");
    int start = doc.indexOf("```toml\n", marker) + "```toml\n".length();
    return doc.substring(start, doc.indexOf("```", start));
  }
}
