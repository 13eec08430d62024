package dev.berth.reconcilers.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.berth.reconcilers.node.BerthNode;
import dev.berth.runtime.Workload;
import dev.berth.runtime.process.ProcessLimits;
import dev.berth.runtime.process.ProcessRuntime;
import dev.berth.runtime.process.ProcessRuntimeConfig;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.RestartPolicy;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.status.ComponentState;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.ComponentStatus;
import dev.berth.store.registry.Condition;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import dev.berth.store.registry.ServiceEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What status and events tell of real host processes, through the node's loops: a runtime failure
 * by its typed reason, a kill -9 as a kill by signal 9 whatever the restart policy, a workload
 * removed behind Berth's back as vanished and recreated, with a count, and a process over its
 * memory limit as killed for exceeding it.
 */
class ProcessStatusTest {

  static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir Path root;
  Registry registry;
  ProcessRuntime runtime;
  BerthNode node;

  @BeforeEach
  void start() {
    registry = Registry.open(RegistryConfig.at(root.resolve("data")));
    runtime = new ProcessRuntime(ProcessRuntimeConfig.of(root.resolve("processes")));
    node =
        BerthNode.builder(registry, runtime)
            .relistPeriod(Duration.ofSeconds(1))
            .statusFlushInterval(Duration.ofMillis(20))
            .build();
    node.start();
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.stop(Duration.ofSeconds(10));
    }
    if (runtime != null) {
      for (Workload workload : runtime.list()) {
        runtime.remove(workload.id());
      }
      runtime.close();
    }
    if (registry != null) {
      registry.close();
    }
    // Whatever a failed test left running: every test process names the test's directory.
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains(root.toString()))
        .forEach(ProcessHandle::destroyForcibly);
  }

  /** One process that runs until killed, its command line naming the test's directory. */
  ServiceSpec follower(String name, RestartPolicy restart) throws Exception {
    Path file = root.resolve(name + ".log");
    Files.writeString(file, "");
    ComponentSpec tail =
        ComponentSpec.builder("tail", RuntimeKind.PROCESS)
            .executable("/bin/busybox")
            .cmd("tail", "-f", file.toString())
            .restart(restart)
            .build();
    return new ServiceSpec(name, null, DesiredState.RUNNING, null, List.of(tail));
  }

  void apply(ServiceSpec spec) {
    registry.services().apply(ApplyRequest.of("test", List.of(spec)));
  }

  ComponentStatus status(String service) {
    return registry.status().of(service).stream().findFirst().orElse(null);
  }

  Optional<Condition> ready(String service) {
    return registry.status().conditions(service).stream()
        .filter(c -> c.type().equals("Ready"))
        .findFirst();
  }

  List<ServiceEvent> events(String service) {
    return registry.events().of(service);
  }

  ProcessHandle processOf(String service) {
    String marker = root.resolve(service + ".log").toString();
    return await()
        .atMost(WAIT)
        .until(
            () ->
                ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().orElse("").contains(marker))
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  Workload awaitRunning(String service) {
    return await()
        .atMost(WAIT)
        .until(
            () ->
                runtime.list().stream()
                    .filter(w -> service.equals(w.service()) && w.running())
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  @Test
  void aMissingExecutableShowsItsTerminalReasonInStateAndReadyNotCreating() {
    ComponentSpec missing =
        ComponentSpec.builder("app", RuntimeKind.PROCESS)
            .executable(root.resolve("no-such-program").toString())
            .build();
    apply(new ServiceSpec("broken", null, DesiredState.RUNNING, null, List.of(missing)));

    ComponentStatus status =
        await()
            .atMost(WAIT)
            .until(() -> status("broken"), s -> s != null && !s.state().equals("creating"));

    assertThat(status.state()).isEqualTo("NoSuchExecutable");
    assertThat(ComponentState.ofWire(status.state()).orElseThrow().terminal()).isTrue();
    assertThat(status.message())
        .startsWith("create broken_app failed: ")
        .contains(root.resolve("no-such-program").toString())
        .doesNotContain("not on the node");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(ready("broken"))
                    .hasValueSatisfying(
                        ready -> {
                          assertThat(ready.status()).isEqualTo(Condition.Status.FALSE);
                          assertThat(ready.reason()).isEqualTo(status.state());
                          assertThat(ready.message()).isEqualTo(status.message());
                        }));
  }

  @Test
  void aKillBySigkillWithRestartNoIsToldAsSuchAndKeptStopped() throws Exception {
    apply(follower("once", RestartPolicy.NO));
    awaitRunning("once");

    processOf("once").destroyForcibly();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(events("once"))
                    .filteredOn(e -> e.reason().equals("Killed"))
                    .singleElement()
                    .satisfies(
                        killed -> {
                          assertThat(killed.type()).isEqualTo(ServiceEvent.Type.WARNING);
                          assertThat(killed.component()).isEqualTo("tail");
                          assertThat(killed.message())
                              .endsWith(
                                  "killed by signal 9 (SIGKILL); restart policy \"no\" keeps it"
                                      + " stopped");
                        }));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(status("once").state()).isEqualTo("exited");
              assertThat(status("once").exitCode()).isEqualTo(137);
              assertThat(status("once").message()).startsWith("killed by signal 9 (SIGKILL)");
            });
    assertThat(events("once")).noneMatch(e -> e.message().contains("on its own"));
  }

  @Test
  void aKillBySigkillIsToldAsSuchBeforeTheRestartNeverAsAnExitOnItsOwn() throws Exception {
    apply(follower("looped", RestartPolicy.ALWAYS));
    String id = awaitRunning("looped").id();
    long before = processOf("looped").pid();

    processOf("looped").destroyForcibly();

    await()
        .atMost(WAIT)
        .until(() -> processOf("looped").pid() != before && awaitRunning("looped") != null);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(events("looped"))
                  .filteredOn(e -> e.reason().equals("Killed"))
                  .extracting(ServiceEvent::message)
                  .containsExactly(id + " killed by signal 9 (SIGKILL)");
              assertThat(events("looped"))
                  .filteredOn(e -> e.reason().equals("Restarted"))
                  .extracting(ServiceEvent::message)
                  .singleElement()
                  .asString()
                  .startsWith("started " + id + " again as its restart policy says: restart 1");
            });
    assertThat(events("looped")).noneMatch(e -> e.message().contains("on its own"));
  }

  @Test
  void aProcessOverItsMemoryLimitIsToldOomKilledWithItsLimit() {
    requireProcessLimits();
    ComponentSpec hog =
        ComponentSpec.builder("hog", RuntimeKind.PROCESS)
            .executable("/bin/sh")
            // A 200 MB line that tail keeps whole in memory.
            .cmd("-c", "head -c 200000000 /dev/zero | tail")
            .memoryMb(32)
            .restart(RestartPolicy.NO)
            .build();
    apply(new ServiceSpec("hungry", null, DesiredState.RUNNING, null, List.of(hog)));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(events("hungry"))
                    .filteredOn(e -> e.reason().equals("OOMKilled"))
                    .singleElement()
                    .satisfies(
                        killed -> {
                          assertThat(killed.type()).isEqualTo(ServiceEvent.Type.WARNING);
                          assertThat(killed.message())
                              .endsWith(
                                  "killed for exceeding its memory limit of 32 MiB; restart policy"
                                      + " \"no\" keeps it stopped");
                        }));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(status("hungry").state()).isEqualTo("exited");
              assertThat(status("hungry").exitCode()).isEqualTo(137);
              assertThat(status("hungry").message())
                  .startsWith("killed for exceeding its memory limit of 32 MiB");
            });
  }

  /**
   * Skips a test of a memory limit where this machine has no writable cgroup controller (not root,
   * say), saying why; under CI, which runs as root where it has, fails it instead.
   */
  private void requireProcessLimits() {
    String why = ProcessLimits.detect(root.resolve("processes")).support().memoryUnavailable();
    if (why == null) {
      return;
    }
    if ("true".equals(System.getenv("CI"))) {
      fail("process limit tests cannot run, and CI=true forbids a skip: " + why);
    }
    Assumptions.abort("process limit tests skipped: " + why);
  }

  @Test
  void aWorkloadRemovedBehindBerthsBackIsRecreatedAndCounted() throws Exception {
    apply(follower("gone", RestartPolicy.ALWAYS));
    String first = awaitRunning("gone").id();

    runtime.remove(first);
    String second =
        await().atMost(WAIT).until(() -> awaitRunning("gone").id(), id -> !id.equals(first));
    runtime.remove(second);
    await().atMost(WAIT).until(() -> awaitRunning("gone").id(), id -> !id.equals(second));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(events("gone"))
                    .filteredOn(e -> e.reason().equals("Recreated"))
                    .allSatisfy(e -> assertThat(e.type()).isEqualTo(ServiceEvent.Type.WARNING))
                    .extracting(ServiceEvent::message)
                    .satisfiesExactly(
                        once ->
                            assertThat(once)
                                .startsWith(
                                    "its workload " + first + " vanished behind Berth's back")
                                .endsWith("(recreated once since the agent started)"),
                        twice ->
                            assertThat(twice)
                                .startsWith("its workload " + second + " vanished")
                                .endsWith("(recreated 2 times since the agent started)")));
  }

  @Test
  void aComponentNoLongerDeclaredIsRemovedAndSaysWhy() throws Exception {
    ServiceSpec two = follower("pair", RestartPolicy.ALWAYS);
    ComponentSpec second =
        two.components().get(0).toBuilder()
            .name("second")
            .cmd("tail", "-f", root.resolve("pair-second.log").toString())
            .build();
    Files.writeString(root.resolve("pair-second.log"), "");
    apply(
        new ServiceSpec(
            "pair", null, DesiredState.RUNNING, null, List.of(two.components().get(0), second)));
    Workload removed =
        await()
            .atMost(WAIT)
            .until(
                () ->
                    runtime.list().stream()
                        .filter(w -> "second".equals(w.component()) && w.running())
                        .findFirst(),
                Optional::isPresent)
            .orElseThrow();

    apply(two);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(events("pair"))
                    .filteredOn(e -> e.reason().equals("Removed"))
                    .extracting(ServiceEvent::component, ServiceEvent::message)
                    .containsExactly(
                        tuple(
                            "second",
                            "removed " + removed.id() + ": the component is no longer declared")));
    assertThat(runtime.inspect(removed.id())).isEmpty();
  }
}
