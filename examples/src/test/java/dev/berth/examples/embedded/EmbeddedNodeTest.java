package dev.berth.examples.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.Workload;
import dev.berth.runtime.process.ProcessRuntime;
import dev.berth.runtime.process.ProcessRuntimeConfig;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded example, run as it is: a real process, on a port Berth allocated. */
class EmbeddedNodeTest {

  @TempDir Path directory;

  /** Whatever a failed run left behind: processes outlive the runtime that started them. */
  @AfterEach
  void removeLeftovers() {
    ProcessRuntime runtime = new ProcessRuntime(processes());
    try {
      for (Workload workload : runtime.list()) {
        runtime.remove(workload.id());
      }
    } finally {
      runtime.close();
    }
  }

  ProcessRuntimeConfig processes() {
    return ProcessRuntimeConfig.of(directory.resolve("processes"));
  }

  @Test
  void declaresTheServiceSeesItRunAndAnswerThenDeletesItAndShutsDown() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    String answer =
        new EmbeddedNode(directory, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

    assertThat(answer).isEqualTo(EmbeddedNode.GREETING);
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .containsSubsequence(
            "declared hello: CREATED",
            "hello/web: running as proc-",
            " on process, started ",
            "GET http://127.0.0.1:",
            "/ -> hello from an embedded Berth",
            "deleted hello: no workload left",
            "node stopped");
  }

  @Test
  void leavesNoProcessAndNoDeclarationBehind() throws Exception {
    new EmbeddedNode(directory, new PrintStream(new ByteArrayOutputStream(), true)).run();

    // A new runtime on the same state would adopt any process still there.
    ProcessRuntime runtime = new ProcessRuntime(processes());
    try {
      assertThat(runtime.list()).isEmpty();
    } finally {
      runtime.close();
    }
    try (Registry registry = Registry.open(RegistryConfig.at(directory.resolve("registry")))) {
      assertThat(registry.services().names()).isEmpty();
    }
  }
}
