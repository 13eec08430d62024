package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A process is found again by its pid and start time, and only while it runs. */
class ProcessIdentityTest {

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killWhatWasStarted() throws InterruptedException {
    for (Process process : started) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aLiveProcessIsFoundByItsIdentity() throws IOException {
    Process process = start("sleep", "60");

    ProcessIdentity identity = ProcessIdentity.of(process.toHandle()).orElseThrow();

    assertThat(identity.pid()).isEqualTo(process.pid());
    assertThat(identity.find()).map(ProcessHandle::pid).contains(process.pid());
  }

  @Test
  void theSamePidWithAnotherStartTimeIsAnotherProcess() throws IOException {
    Process process = start("sleep", "60");
    ProcessIdentity identity = ProcessIdentity.of(process.toHandle()).orElseThrow();

    ProcessIdentity reused =
        new ProcessIdentity(identity.pid(), identity.startedAt().minusSeconds(1));

    assertThat(reused.find()).isEmpty();
    assertThat(reused.alive()).isFalse();
  }

  @Test
  void anExitedProcessIsNotFound() throws Exception {
    Process process = start("sleep", "60");
    ProcessIdentity identity = ProcessIdentity.of(process.toHandle()).orElseThrow();

    process.destroy();
    process.waitFor(10, TimeUnit.SECONDS);

    assertThat(identity.alive()).isFalse();
  }

  @Test
  void aZombieDoesNotRunThoughJavaCallsItAlive() throws IOException {
    assumeTrue(Files.isDirectory(Path.of("/proc")), "zombies are told apart through /proc");
    // The shell starts a child, then becomes a sleep that never reaps it.
    Process parent = start("/bin/sh", "-c", "sleep 0 & exec sleep 60");

    ProcessHandle zombie =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    parent
                        .toHandle()
                        .children()
                        .filter(c -> !ProcessIdentity.running(c))
                        .findFirst(),
                Optional::isPresent)
            .orElseThrow();

    assertThat(zombie.isAlive()).isTrue();
    assertThat(ProcessIdentity.running(zombie)).isFalse();
    assertThat(ProcessIdentity.of(zombie).orElseThrow().find()).isEmpty();
    assertThat(ProcessIdentity.running(parent.toHandle())).isTrue();
  }

  private Process start(String... command) throws IOException {
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectErrorStream(true)
            .start();
    started.add(process);
    return process;
  }
}
