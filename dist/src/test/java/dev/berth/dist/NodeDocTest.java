package dev.berth.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docs/running-on-a-node.md's table of paths names every one the packages install. */
class NodeDocTest {

  static final Path DOC = Path.of("..", "docs", "running-on-a-node.md");

  @Test
  void theTableOfPathsNamesEveryFileAndDirectoryThePackagesInstall() throws Exception {
    String doc = Files.readString(DOC);
    Stream.concat(Packages.FILES.stream(), Packages.DIRECTORIES.stream())
        .forEach(
            path ->
                assertThat(doc)
                    .as("a row for /%s", path)
                    .containsPattern("\\n\\| `/" + path.replace(".", "\\.") + "/?` \\|"));
  }
}
