package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.JsonFormat;
import dev.berth.proto.v1.AgentProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets through a real agent JVM and its CLI: the agent makes its secrets directory, a process
 * gets a file's value, a rewritten file replaces the workload, a file others may read fails the
 * component with SecretUnusable naming its mode, and no value shows in {@code status --json},
 * {@code events}, a dry-run diff or the agent's log.
 */
class AgentSecretsEndToEndTest {

  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path directory;
  Cli cli;
  AgentProcess agent;
  Path secrets;

  @BeforeEach
  void startAgent() throws IOException {
    AgentProcess.writeProcessAgentConfig(directory);
    Files.createDirectories(directory.resolve("services"));
    cli = Cli.onSocket(directory.resolve("berth.sock"));
    agent = AgentProcess.start(directory);
    secrets = directory.resolve("data/secrets");
  }

  @AfterEach
  void stopAgent() {
    if (agent != null && agent.alive()) {
      cli.run("delete", "shop");
      await()
          .atMost(WAIT)
          .until(() -> AgentProcess.processesUnder(directory.resolve("data")).isEmpty());
    }
    if (agent != null) {
      agent.close();
    }
    AgentProcess.killLeftovers(directory);
  }

  @Test
  void aRotatedSecretReplacesTheWorkloadAndNoValueIsEverShown() throws Exception {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets)))
        .as("the secrets directory the agent made")
        .isEqualTo("rwx------");
    String first = "first-" + System.nanoTime();
    writeSecret("token", first, "rw-------");
    declare("shop", "token");
    Cli.Run applied = cli.run("apply", "-f", directory.resolve("services").toString(), "--wait");
    assertThat(applied.exitCode()).as(applied.out() + applied.err()).isZero();
    String workload = status("shop").getComponents(0).getWorkloadId();
    awaitLog("shop", first);

    String second = "second-" + System.nanoTime();
    writeSecret("token", second, "rw-------");

    await()
        .atMost(WAIT)
        .until(() -> status("shop").getComponents(0).getWorkloadId(), id -> !id.equals(workload));
    awaitLog("shop", second);
    Files.writeString(
        directory.resolve("services/shop.toml"),
        Files.readString(directory.resolve("services/shop.toml"))
            .replace("sleep 600", "sleep 601"));
    String shown =
        cli.run("status", "shop", "--json").out()
            + cli.run("events", "shop").out()
            + cli.run("apply", "-f", directory.resolve("services").toString(), "--dry-run").out()
            + agent.ownLog();
    assertThat(shown).contains("TOKEN").doesNotContain(first).doesNotContain(second);
  }

  @Test
  void aSecretFileOthersMayReadFailsTheComponentNamingItsMode() throws Exception {
    String value = "leaky-" + System.nanoTime();
    Path file = writeSecret("leaky-token", value, "rw-r--r--");
    declare("shop", "leaky-token");

    Cli.Run applied = cli.run("apply", "-f", directory.resolve("services").toString(), "--wait");

    assertThat(applied.exitCode()).as(applied.out() + applied.err()).isNotZero();
    AgentProto.ComponentStatus component = status("shop").getComponents(0);
    assertThat(component.getState()).isEqualTo("SecretUnusable");
    assertThat(cli.run("status", "shop", "--json").out())
        .contains("secret file " + file.toRealPath() + " has mode 0644")
        .doesNotContain(value);
  }

  /** A process that prints the SHA-256 of its TOKEN, never the value, then sleeps. */
  void declare(String name, String file) throws IOException {
    Files.writeString(
        directory.resolve("services/" + name + ".toml"),
        """
        name = "%s"

        [[components]]
        name = "app"
        runtime = "process"
        executable = "/bin/sh"
        cmd = ["-c", "printf 'seen %%s\\\\n' \\"$(printf %%s \\"$TOKEN\\" | sha256sum | cut -d' ' -f1)\\"; exec sleep 600"]

        [[components.secrets]]
        name = "TOKEN"
        file = "%s"
        """
            .formatted(name, file));
  }

  /** As an operator does it: written beside, then renamed over the old file. */
  Path writeSecret(String name, String value, String mode) throws IOException {
    Path staged = Files.createTempFile(directory, name, ".tmp");
    Files.writeString(staged, value + "\n");
    Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString(mode));
    return Files.move(staged, secrets.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  void awaitLog(String service, String value) {
    String seen = "seen " + ProcessSecrets.sha256(value);
    await()
        .atMost(WAIT)
        .until(() -> cli.run("logs", service, "-n", "50").out(), out -> out.contains(seen));
  }

  AgentProto.Service status(String name) throws IOException {
    Cli.Run run = cli.run("status", name, "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    AgentProto.Service.Builder service = AgentProto.Service.newBuilder();
    JsonFormat.parser().merge(run.out(), service);
    return service.build();
  }

  /** SHA-256 in hex, as {@code sha256sum} prints it. */
  static final class ProcessSecrets {
    static String sha256(String text) {
      try {
        return java.util.HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
