package dev.berth.examples.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What an embedder gets from the published artifacts: the BOM lists every published module (every
 * module but the examples, the benchmarks and the packages), and each published jar names its
 * module for the module path. Runs after {@code package} (with the script tests), on the jars this
 * build made.
 */
class PublishedJarsTest {

  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  /**
   * Built, never published to a Maven repository: dist makes the tarball and the .deb, which are
   * released as files, not as artifacts anyone depends on.
   */
  static final List<String> UNPUBLISHED = List.of("examples", "bench", "bom", "dist");

  /** The modules examples builds on: their jars are there whenever this test runs. */
  static final List<String> ALWAYS_BUILT =
      List.of(
          "controller-core",
          "spec",
          "store",
          "runtimes",
          "reconcilers",
          "probe-grpc",
          "acme",
          "kubernetes",
          "testkit");

  @Test
  void theBomListsEveryPublishedModuleAtTheProjectVersion() throws Exception {
    Map<String, String> published = publishedModules();
    Document bom = read(REPO.resolve("bom/pom.xml"));
    List<String> managed = new ArrayList<>();
    Element management = child(bom.getDocumentElement(), "dependencyManagement");
    for (Element dependency : children(child(management, "dependencies"), "dependency")) {
      assertThat(text(dependency, "groupId")).isEqualTo("dev.berth");
      assertThat(text(dependency, "version")).isEqualTo("${project.version}");
      managed.add(text(dependency, "artifactId"));
    }

    assertThat(managed).containsExactlyInAnyOrderElementsOf(published.values());
    // An imported BOM brings its parent's dependencyManagement too: it must have none.
    assertThat(child(bom.getDocumentElement(), "parent")).isNull();
  }

  @Test
  void everyPublishedJarNamesItsModuleAfterItsRootPackage() throws Exception {
    Map<String, String> names = new HashMap<>();
    for (var module : publishedModules().entrySet()) {
      Path jar =
          REPO.resolve(module.getKey()).resolve("target").resolve(jarName(module.getValue()));
      if (!Files.exists(jar)) {
        assertThat(ALWAYS_BUILT)
            .as("%s was built before this test", jar)
            .doesNotContain(module.getKey());
        continue;
      }
      String name;
      try (JarFile file = new JarFile(jar.toFile())) {
        name = file.getManifest().getMainAttributes().getValue("Automatic-Module-Name");
      }
      assertThat(name).as("Automatic-Module-Name of %s", jar).matches("dev\\.berth(\\.[a-z]+)+");
      assertThat(names.put(name, module.getKey()))
          .as("%s names the same module as another jar", jar)
          .isNull();
    }
    assertThat(names).hasSizeGreaterThanOrEqualTo(ALWAYS_BUILT.size());
  }

  /** The published modules' directories and artifact ids, from the root pom's module list. */
  static Map<String, String> publishedModules() throws Exception {
    Map<String, String> modules = new LinkedHashMap<>();
    Element root = read(REPO.resolve("pom.xml")).getDocumentElement();
    for (Element module : children(child(root, "modules"), "module")) {
      String dir = module.getTextContent().trim();
      if (!UNPUBLISHED.contains(dir)) {
        modules.put(
            dir,
            text(read(REPO.resolve(dir).resolve("pom.xml")).getDocumentElement(), "artifactId"));
      }
    }
    return modules;
  }

  private static String jarName(String artifactId) throws IOException {
    Matcher version =
        Pattern.compile("<version>([^<]+)</version>")
            .matcher(Files.readString(REPO.resolve("bom/pom.xml")));
    assertThat(version.find()).isTrue();
    return artifactId + "-" + version.group(1) + ".jar";
  }

  private static Document read(Path pom) throws Exception {
    try (InputStream in = Files.newInputStream(pom)) {
      return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
    }
  }

  private static String text(Element parent, String name) {
    return child(parent, name).getTextContent().trim();
  }

  private static Element child(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? null : found.get(0);
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        found.add(e);
      }
    }
    return found;
  }
}
