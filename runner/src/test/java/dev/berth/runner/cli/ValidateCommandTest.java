package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** validate works offline: no agent is running in these tests. */
class ValidateCommandTest {

  @TempDir Path dir;

  @Test
  void aDirectoryOfGoodFilesIsValid() throws Exception {
    Path services = ServiceFilesFixture.goodDirectory(dir, "services");

    Cli.Run run = Cli.plain().run("validate", "-f", services.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("2 services valid\n");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void oneGoodFileIsOneServiceValid() throws Exception {
    Path file = Files.writeString(dir.resolve("hello.toml"), ServiceFilesFixture.HELLO);

    assertThat(Cli.plain().run("validate", "-f", file.toString()).out())
        .isEqualTo("1 service valid\n");
  }

  @Test
  void everyErrorIsPrintedWithItsFileAndFieldPath() throws Exception {
    Path services = ServiceFilesFixture.goodDirectory(dir, "services");
    Files.writeString(services.resolve("web.toml"), ServiceFilesFixture.BAD_PORT);
    Files.writeString(
        services.resolve("worker.toml"),
        "name = \"worker\"\n[[components]]\nname = \"w\"\nimgae = \"example/w:1\"\n");

    Cli.Run run = Cli.plain().run("validate", "-f", services.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .startsWith(
            "web.toml: components[0].routes[0].port: must be 1..65535, was 70000\nworker.toml: components[0]")
        .contains("imgae")
        .endsWith("error: 2 problems in " + services + "\n");
  }

  @Test
  void anL7RouteWithoutHostnameIsValidOfflineWithTheNoteTheDocShows() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("blog.toml"),
            """
            name = "blog"
            [[components]]
            name = "web"
            image = "example.net/blog:1.0"
            [[components.routes]]
            port = 443
            mode = "l7"
            """);

    Cli.Run run = Cli.plain().run("validate", "-f", file.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("1 service valid\n");
    assertThat(run.err())
        .isEqualTo(
            "note: blog.toml: components[0].routes[0] has no hostname: it is served at"
                + " blog.<routes.default_domain>, and an agent without routes.default_domain"
                + " refuses it\n");
    assertThat(Files.readString(StatusDocTest.DOC)).contains(run.err());
  }

  @Test
  void aMissingFileIsAnError() {
    Cli.Run run = Cli.plain().run("validate", "-f", dir.resolve("nope.toml").toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.err()).contains("no such file or directory");
  }
}
