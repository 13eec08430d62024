package dev.berth.runner.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A {@link FakeAgent} served on a real unix socket in a temporary directory, and a CLI on it. */
abstract class FakeAgentTest {

  @TempDir Path dir;

  final FakeAgent agent = new FakeAgent();
  FakeAgentServer server;
  Path socket;
  Cli cli;

  @BeforeEach
  void startAgent() throws IOException {
    socket = dir.resolve("agent.sock");
    server = FakeAgentServer.onSocket(socket, agent);
    cli = Cli.onSocket(socket);
  }

  @AfterEach
  void stopAgent() {
    server.close();
  }
}
