package dev.berth.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.store.model.ComponentSpec;
import dev.berth.store.model.RuntimeKind;
import dev.berth.store.validation.ValidationPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docs/service-definitions.md says what the loader does. */
class DocumentationTest {

  private static final Path PAGE =
      Path.of(System.getProperty("basedir", "."))
          .resolve("../docs/service-definitions.md")
          .normalize();

  @Test
  void theCompleteExampleLoadsWithTheNotesThePageShows() throws IOException {
    String page = Files.readString(PAGE);

    LoadResult result =
        ServiceFiles.read(completeExample(page), "web.toml", "docs", ValidationPolicy.STRICT);

    assertThat(result.errors()).isEmpty();
    assertThat(result.specs().get(0).components())
        .extracting(ComponentSpec::runtime)
        .containsExactly(RuntimeKind.CONTAINER, RuntimeKind.PROCESS, RuntimeKind.UNIKERNEL);
    assertThat(result.notes()).isNotEmpty().allSatisfy(note -> assertThat(page).contains(note));
  }

  @Test
  void theCompleteExampleUsesEveryKeyTheLoaderKnows() throws Exception {
    JsonNode root = TomlText.parse(completeExample(Files.readString(PAGE)));
    JsonNode components = root.get("components");

    assertThat(keys(List.of(root))).containsAll(SpecMapper.SERVICE_KEYS);
    assertThat(keys(List.of(root.get("build")))).containsAll(SpecMapper.BUILD_KEYS);
    assertThat(keys(elements(components))).containsAll(SpecMapper.COMPONENT_KEYS);
    assertThat(keys(elements(components).stream().map(c -> c.get("health")).toList()))
        .containsAll(SpecMapper.HEALTH_KEYS);
    assertThat(keys(elements(components.get(0).get("routes")))).containsAll(SpecMapper.ROUTE_KEYS);
  }

  @Test
  void everyKeyTheLoaderKnowsHasARowInTheTables() throws IOException {
    String page = Files.readString(PAGE);

    for (List<String> keys :
        List.of(
            SpecMapper.SERVICE_KEYS,
            SpecMapper.COMPONENT_KEYS,
            SpecMapper.ROUTE_KEYS,
            SpecMapper.HEALTH_KEYS)) {
      for (String key : keys) {
        assertThat(page).containsPattern("\\n\\| `(\\[+components\\.)?\\[*" + key + "\\]*` \\|");
      }
    }
  }

  private static String completeExample(String page) {
    int marker = page.indexOf("<!-- complete-example");
    int start = page.indexOf("```toml\n", marker) + "```toml\n".length();
    return page.substring(start, page.indexOf("```", start));
  }

  private static List<JsonNode> elements(JsonNode array) {
    List<JsonNode> out = new java.util.ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  private static Set<String> keys(List<JsonNode> tables) {
    Set<String> keys = new HashSet<>();
    for (JsonNode table : tables) {
      if (table != null) {
        table.properties().forEach(field -> keys.add(field.getKey()));
      }
    }
    return keys;
  }
}
