package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.runner.config.PrivatePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent running as root refuses, before it starts anything, a data directory, a socket
 * directory or a token file other users could read or change (docs/configuration.md); and the token
 * file is read before any loop starts, whoever runs the agent.
 */
class RootAgentPathsTest {

  private static final String TOKEN = "0123456789abcdef0123456789abcdef";

  /** Its section "What a root agent refuses" shows these messages. */
  private static final Path CONFIGURATION_DOC = Path.of("..", "docs", "configuration.md");

  @TempDir Path directory;

  @Test
  void aRootAgentRefusesADataDirectoryOtherUsersCanRead() throws Exception {
    assumeRoot();
    writeConfig("socket = \"berth.sock\"");
    Path data = Files.createDirectory(directory.resolve("data"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));

    String log = refusedToStart();

    assertThat(log)
        .contains(
            "berth.toml: data_dir: must not be readable or writable by other users when the agent"
                + " runs as root, was \""
                + data
                + "\" with mode rwxr-xr-x; run chmod 711 "
                + data);
    assertNothingStarted();
    assertThat(Files.readString(CONFIGURATION_DOC))
        .contains(
            "berth.toml: data_dir: must not be readable or writable by other users when the agent"
                + " runs as root, was \"/var/lib/berth\" with mode rwxr-xr-x; run chmod 711"
                + " /var/lib/berth");
  }

  @Test
  void aRootAgentRefusesASocketDirectoryOtherUsersCanWrite() throws Exception {
    assumeRoot();
    Path run = Files.createDirectory(directory.resolve("run"));
    Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxrwxrwx"));
    writeConfig("socket = \"run/berth.sock\"");

    String log = refusedToStart();

    assertThat(log).contains("berth.toml: api.socket: must not be writable by other users");
    assertThat(run.resolve("berth.sock")).doesNotExist();
    assertNothingStarted();
  }

  @Test
  void aRootAgentRefusesAGroupReadableTokenFileBeforeAnyLoopStarts() throws Exception {
    assumeRoot();
    Path token = Files.writeString(directory.resolve("token"), TOKEN + "\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r-----"));
    writeConfig("socket = \"berth.sock\"\ntoken_file = \"token\"");

    String log = refusedToStart();

    String message =
        "berth.toml: api.token_file: must not be readable or writable (group included) by other"
            + " users when the agent runs as root, was \"%s\" with mode rw-r-----; run chmod 600 %s";
    assertThat(log).contains(message.formatted(token, token));
    assertNothingStarted();
    assertThat(Files.readString(CONFIGURATION_DOC))
        .contains(message.formatted("/etc/berth/token", "/etc/berth/token"));
  }

  @Test
  void aTokenTheApiWouldRefuseStopsTheAgentBeforeAnyLoopStarts() throws Exception {
    Path token = Files.writeString(directory.resolve("token"), "short\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    writeConfig("socket = \"berth.sock\"\ntoken_file = \"token\"");

    String log = refusedToStart();

    assertThat(log).contains("berth.toml: api.token_file: token file ").contains("at least 16");
    assertNothingStarted();
  }

  @Test
  void theDataDirectoryTheAgentCreatesIsOneItAcceptsAtItsNextStart() throws Exception {
    writeConfig("socket = \"berth.sock\"");

    try (AgentProcess first = AgentProcess.start(directory)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data())))
          .isEqualTo("rwx--x--x");
      first.terminate();
    }
    try (AgentProcess second = AgentProcess.start(directory)) {
      assertThat(second.alive()).isTrue();
    }
  }

  /** {@code berth.toml} with {@code api}'s lines in its [api] table. */
  private void writeConfig(String api) throws IOException {
    Files.writeString(
        directory.resolve("berth.toml"),
        """
        data_dir = "data"

        [api]
        %s

        [metrics]
        listen = ""

        [runtimes]
        enabled = ["process"]
        """
            .formatted(api));
  }

  private String refusedToStart() throws Exception {
    try (AgentProcess agent = AgentProcess.launch(directory)) {
      assertThat(agent.awaitExit()).as(agent.log()).isEqualTo(ExitCodes.FAILED);
      assertThat(agent.log()).doesNotContain("berth agent started");
      return agent.log();
    }
  }

  /** Not even the registry was opened: the loops and listeners come after it. */
  private void assertNothingStarted() {
    assertThat(data().resolve("registry.mv.db")).doesNotExist();
    assertThat(directory.resolve("berth.sock")).doesNotExist();
  }

  private Path data() {
    return directory.resolve("data");
  }

  private static void assumeRoot() {
    assumeTrue(PrivatePaths.runningAsRoot(), "these rules are a root agent's");
  }
}
