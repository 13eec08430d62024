package dev.berth.store.file;

import static dev.berth.spec.validation.ValidationPolicy.STRICT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.validation.DefaultDomain;
import dev.berth.spec.validation.SpecValidator;
import dev.berth.spec.validation.ValidationPolicy;
import dev.berth.store.toml.TomlText;
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
    assertThat(keys(List.of(components.get(0).get("update")))).containsAll(SpecMapper.UPDATE_KEYS);
    assertThat(keys(elements(components.get(0).get("secrets"))))
        .containsAll(SpecMapper.SECRET_KEYS);
  }

  @Test
  void everyKeyTheLoaderKnowsHasARowInTheTables() throws IOException {
    String page = Files.readString(PAGE);

    for (List<String> keys :
        List.of(
            SpecMapper.SERVICE_KEYS,
            SpecMapper.COMPONENT_KEYS,
            SpecMapper.ROUTE_KEYS,
            SpecMapper.HEALTH_KEYS,
            SpecMapper.UPDATE_KEYS,
            SpecMapper.SECRET_KEYS)) {
      for (String key : keys) {
        assertThat(page).containsPattern("\\n\\| `(\\[+components\\.)?\\[*" + key + "\\]*` \\|");
      }
    }
  }

  @Test
  void thePredecessorsRoutesLoadAsThePageSays() throws IOException {
    String page = Files.readString(PAGE);
    List<String> blocks = tomlBlocksAfter(page, "<!-- predecessor-routes");

    ServiceSpec minecraft = ServiceFiles.parse(blocks.get(0), "minecraft.toml", STRICT);
    assertThat(minecraft.components().get(0).routes())
        .containsExactly(new RouteSpec("default", 25565, RouteMode.L4, null));

    LoadResult tunnel = ServiceFiles.read(blocks.get(1), "tunnel.toml", "docs", STRICT);
    assertThat(tunnel.errors())
        .singleElement()
        .satisfies(error -> assertThat(page).contains("\n" + error + "\n"));

    String blog = blocks.get(2);
    ServiceSpec served =
        DefaultDomain.of("example.net")
            .resolve(
                ServiceFiles.parse(
                    blog, "blog.toml", STRICT.withDefaultDomain(DefaultDomain.of("example.net"))));
    assertThat(served.components().get(0).routes().get(0).hostname()).isEqualTo("blog.example.net");
    assertThat(page).contains("`blog.example.net`");
    ServiceSpec declared =
        ServiceFiles.parse(blog, "blog.toml", STRICT.withDefaultDomain(DefaultDomain.UNKNOWN));
    assertThat(new SpecValidator(STRICT).validateAll(List.of(declared)))
        .singleElement()
        .satisfies(violation -> assertThat(page).contains("\n" + violation + "\n"));
    assertThat(
            ServiceFiles.read(
                    blog, "blog.toml", "docs", STRICT.withDefaultDomain(DefaultDomain.UNKNOWN))
                .notes())
        .singleElement()
        .satisfies(note -> assertThat(page).contains("\n" + note + "\n"));
  }

  /** The {@code toml} blocks after {@code marker}, up to the next heading of the same level. */
  private static List<String> tomlBlocksAfter(String page, String marker) {
    int from = page.indexOf(marker);
    int end = page.indexOf("\n## ", from);
    List<String> blocks = new java.util.ArrayList<>();
    for (int start = page.indexOf("```toml\n", from);
        start >= 0 && start < end;
        start = page.indexOf("```toml\n", start + 1)) {
      int body = start + "```toml\n".length();
      blocks.add(page.substring(body, page.indexOf("```", body)));
    }
    assertThat(blocks).as("toml blocks after %s", marker).hasSize(3);
    return blocks;
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
