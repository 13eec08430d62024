package dev.berth.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runner.agent.InstalledNginx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code apply --wait} against a real agent JVM behind a real nginx: an update the agent gives up
 * and reverts ({@code auto_revert}) is this apply's failure, although the service then converges on
 * the spec it went back to.
 */
class ApplyWaitRevertEndToEndTest {

  @TempDir Path directory;
  Cli cli;
  AgentProcess agent;
  Path services;
  int listener;

  @BeforeEach
  void startAgentWithAServiceThatServes() throws Exception {
    InstalledNginx.require();
    // nginx started as root runs its workers unprivileged; they must reach the sockets under it.
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
    listener = AdminEndpoint.freePort();
    Files.writeString(
        directory.resolve("berth.toml"),
        """
        data_dir = "data"

        [api]
        socket = "berth.sock"

        [metrics]
        listen = "127.0.0.1:%d"

        [runtimes]
        enabled = ["process"]

        [routes]
        enabled = true
        listen_address = "127.0.0.1"
        stop_nginx_on_exit = true
        """
            .formatted(AdminEndpoint.freePort()));
    Path site = Files.createDirectories(directory.resolve("www"));
    Files.writeString(site.resolve("index.html"), "v1");
    services = Files.createDirectories(directory.resolve("services"));
    declare("exec /bin/busybox httpd -f -p 127.0.0.1:$PORT -h " + site);
    cli = Cli.onSocket(directory.resolve("berth.sock"));
    agent = AgentProcess.start(directory);
    Cli.Run applied = cli.run("apply", "-f", services.toString(), "--wait");
    assertThat(applied.exitCode()).as(applied.out() + applied.err()).isZero();
  }

  @AfterEach
  void stopAgent() throws IOException {
    if (agent != null) {
      if (agent.alive()) {
        cli.run("delete", "tools");
      }
      agent.close();
    }
  }

  @Test
  void anUpdateRevertedForMissingItsDeadlineEndsTheWaitWithExit1AndTheAgentsReason()
      throws Exception {
    declare("exec /bin/sleep 600");

    Cli.Run applied = cli.run("apply", "-f", services.toString(), "--wait", "--timeout", "60s");

    assertThat(applied.exitCode()).as(applied.out() + applied.err()).isEqualTo(1);
    assertThat(applied.err())
        .contains(
            "generation 2 was reverted: auto_revert: generation 2 failed"
                + " (ProgressDeadlineExceeded), so the spec of generation 1, the last that became"
                + " healthy, is declared again as generation 3");
    assertThat(cli.run("history", "tools").out()).contains("auto-revert");
  }

  private void declare(String script) throws IOException {
    Files.writeString(
        services.resolve("tools.toml"),
        """
        name = "tools"

        [[components]]
        name = "web"
        runtime = "process"
        executable = "/bin/sh"
        cmd = ["-c", "%s"]
        restart = "always"

        [[components.routes]]
        name = "https"
        port = %d
        mode = "l7"
        hostname = "tools.berth.internal"

        [components.update]
        deadline = "1s"
        auto_revert = true
        """
            .formatted(script, listener));
  }
}
