package dev.berth.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.validation.ValidationPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A directory is loaded as one source: every *.toml file directly in it, by name. */
class DirectoryLoadingTest {

  @TempDir Path dir;

  @Test
  void everyTomlFileLoadsInTheOrderOfItsName() throws IOException {
    write("b.toml", service("beta"));
    write("a.toml", service("alpha"));
    write("c.toml", service("gamma"));

    LoadResult result = ServiceFiles.load(dir, ValidationPolicy.STRICT);

    assertThat(result.errors()).isEmpty();
    assertThat(result.services())
        .extracting(LoadedService::file)
        .containsExactly("a.toml", "b.toml", "c.toml");
    assertThat(result.specs())
        .extracting(ServiceSpec::name)
        .containsExactly("alpha", "beta", "gamma");
  }

  @Test
  void theServicesOfADirectoryShareTheDirectoryAsSource() throws IOException {
    write("a.toml", service("alpha"));
    write("b.toml", service("beta"));

    LoadResult result = ServiceFiles.load(dir, ValidationPolicy.STRICT);

    assertThat(result.services())
        .extracting(LoadedService::source)
        .containsOnly("file:" + dir.toAbsolutePath().normalize());
  }

  @Test
  void aFileGivenAloneIsItsOwnSource() throws IOException {
    Path file = write("a.toml", service("alpha"));

    LoadResult result = ServiceFiles.load(file, ValidationPolicy.STRICT);

    assertThat(result.services())
        .singleElement()
        .extracting(LoadedService::source)
        .isEqualTo("file:" + file.toAbsolutePath().normalize());
  }

  @Test
  void otherFilesSubdirectoriesAndDotFilesAreNotRead() throws IOException {
    write("a.toml", service("alpha"));
    write("notes.txt", "not a definition");
    write("a.toml.bak", "not = [valid");
    write(".#a.toml", "not = [valid");
    Files.createDirectories(dir.resolve("old.toml"));
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/b.toml"), service("beta"));

    LoadResult result = ServiceFiles.load(dir, ValidationPolicy.STRICT);

    assertThat(result.errors()).isEmpty();
    assertThat(result.specs()).extracting(ServiceSpec::name).containsExactly("alpha");
  }

  @Test
  void twoFilesDeclaringOneServiceIsAnErrorNamingBoth() throws IOException {
    write("a.toml", service("web"));
    write("b.toml", service("web"));

    LoadResult result = ServiceFiles.load(dir, ValidationPolicy.STRICT);

    assertThat(result.errors())
        .singleElement()
        .hasToString("b.toml: name: service \"web\" is already declared in a.toml");
  }

  @Test
  void namesAreComparedWholeSoAServiceAndItsPrefixAreTwoServices() throws IOException {
    write("a.toml", service("mc"));
    write("b.toml", service("mc-proxy"));

    LoadResult result = ServiceFiles.load(dir, ValidationPolicy.STRICT);

    assertThat(result.errors()).isEmpty();
    assertThat(result.specs()).extracting(ServiceSpec::name).containsExactly("mc", "mc-proxy");
  }

  @Test
  void oneBrokenFileMeansNoServicesAtAllSoThatNothingIsAppliedHalfway() throws IOException {
    write("a.toml", service("alpha"));
    write("b.toml", "name = \"beta\"\nnode = [\n");

    LoadResult result = ServiceFiles.load(dir, ValidationPolicy.STRICT);

    assertThat(result.services()).isEmpty();
    assertThat(result.errors()).extracting(FileError::file).containsExactly("b.toml");
  }

  @Test
  void twoFilesClaimingOneHostnameOnOneListenerPortIsAnErrorInTheSecond() throws IOException {
    write("a.toml", serviceWithRoute("alpha", "shared.example.net"));
    write("b.toml", serviceWithRoute("beta", "shared.example.net"));

    LoadResult result = ServiceFiles.load(dir, ValidationPolicy.STRICT);

    assertThat(result.errors())
        .singleElement()
        .hasToString(
            "b.toml: components[0].routes[0]: listener port 443 for hostname shared.example.net"
                + " is claimed by services[alpha].components[0].routes[0]");
  }

  @Test
  void notesOfEveryFileAreKept() throws IOException {
    write("a.toml", "path = \"/src/a\"\n" + service("alpha"));
    write("b.toml", "path = \"/src/b\"\n" + service("beta"));

    LoadResult result = ServiceFiles.load(dir, ValidationPolicy.STRICT);

    assertThat(result.notes())
        .extracting(note -> note.substring(0, note.indexOf(':')))
        .containsExactly("a.toml", "b.toml");
  }

  @Test
  void anEmptyDirectoryIsAnError() {
    LoadResult result = ServiceFiles.load(dir, ValidationPolicy.STRICT);

    assertThat(result.errors())
        .singleElement()
        .hasToString(dir.toAbsolutePath().normalize() + ": no *.toml files in this directory");
  }

  @Test
  void aMissingFileIsAnErrorWithItsFullPath() {
    Path missing = dir.resolve("missing.toml");

    LoadResult result = ServiceFiles.load(missing, ValidationPolicy.STRICT);

    assertThat(result.errors())
        .singleElement()
        .hasToString(missing.toAbsolutePath().normalize() + ": no such file or directory");
  }

  @Test
  void aFileThatIsNotUtf8IsAnError() throws IOException {
    Path file = dir.resolve("latin1.toml");
    Files.write(file, "name = \"caf\u00e9\"\n".getBytes(StandardCharsets.ISO_8859_1));

    LoadResult result = ServiceFiles.load(file, ValidationPolicy.STRICT);

    assertThat(result.errors())
        .singleElement()
        .hasToString("latin1.toml: is not UTF-8 text, as TOML must be");
  }

  @Test
  void aFileLargerThanAnyDefinitionIsRefusedUnread() throws IOException {
    Path file = dir.resolve("huge.toml");
    Files.write(file, new byte[(int) ServiceFiles.MAX_FILE_BYTES + 1]);

    LoadResult result = ServiceFiles.load(file, ValidationPolicy.STRICT);

    assertThat(result.errors())
        .singleElement()
        .hasToString("huge.toml: is larger than the 1048576 bytes a service definition may have");
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private static String service(String name) {
    return """
        name = "%s"
        [[components]]
        name = "app"
        image = "example.net/%s:1.0"
        """
        .formatted(name, name);
  }

  private static String serviceWithRoute(String name, String hostname) {
    return service(name)
        + """
        [[components.routes]]
        name = "https"
        port = 443
        mode = "l7"
        hostname = "%s"
        """
            .formatted(hostname);
  }
}
