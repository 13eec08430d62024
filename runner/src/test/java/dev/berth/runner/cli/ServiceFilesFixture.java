package dev.berth.runner.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Service-definition files for the tests of apply and validate. */
final class ServiceFilesFixture {

  static final String HELLO =
      """
      name = "hello"

      [[components]]
      name = "web"
      image = "docker.io/library/nginx:1.27"
      """;

  static final String DB =
      """
      name = "db"

      [[components]]
      name = "postgres"
      image = "docker.io/library/postgres:16.3"
      restart = "always"
      """;

  static final String BAD_PORT =
      """
      name = "web"

      [[components]]
      name = "app"
      image = "example/app:1.0"

      [[components.routes]]
      name = "https"
      port = 70000
      mode = "l7"
      hostname = "web.example.net"
      """;

  private ServiceFilesFixture() {}

  /**
   * {@code parent}/services/loop.toml: service "loop", one shell of the process runtime sleeping in
   * a loop, whose command line names {@code parent} (so that {@link AgentProcess#killLeftovers}
   * finds it).
   *
   * @return the services directory
   */
  static Path loopService(Path parent) throws IOException {
    Path services = Files.createDirectories(parent.resolve("services"));
    Files.writeString(
        services.resolve("loop.toml"),
        """
        name = "loop"

        [[components]]
        name = "sh"
        runtime = "process"
        executable = "/bin/sh"
        cmd = ["-c", "while :; do /bin/busybox sleep 1; done", "%s"]
        restart = "always"
        """
            .formatted(parent));
    return services;
  }

  /** A directory {@code name} under {@code parent} holding db.toml and hello.toml. */
  static Path goodDirectory(Path parent, String name) throws IOException {
    Path dir = Files.createDirectories(parent.resolve(name));
    Files.writeString(dir.resolve("hello.toml"), HELLO);
    Files.writeString(dir.resolve("db.toml"), DB);
    return dir;
  }
}
