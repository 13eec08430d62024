package dev.berth.runtime.merged;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.PullPolicy;
import dev.berth.runtime.RuntimeEvent;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Reason;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadSpec;
import dev.berth.runtime.WorkloadState;
import dev.berth.runtime.fake.FakeRuntime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MergedRuntimeTest {

  private final FakeRuntime containers =
      new FakeRuntime("containers", Set.of(WorkloadKind.CONTAINER), 0, Clock.systemUTC())
          .addImage("registry.example/web:1.0.0");
  private final FakeRuntime processes =
      new FakeRuntime("processes", Set.of(WorkloadKind.PROCESS), 0, Clock.systemUTC());
  private final MergedRuntime merged = new MergedRuntime(List.of(containers, processes));

  private static WorkloadSpec container(String name) {
    return WorkloadSpec.builder(name, WorkloadKind.CONTAINER)
        .image("registry.example/web:1.0.0")
        .build();
  }

  private static WorkloadSpec process(String name) {
    return WorkloadSpec.builder(name, WorkloadKind.PROCESS)
        .executable("/bin/sleep")
        .args("60")
        .build();
  }

  @Test
  void eachKindGoesToTheRuntimeThatServesIt() {
    merged.run(container("web"));
    merged.run(process("worker"));

    assertThat(containers.list()).extracting(Workload::name).containsExactly("web");
    assertThat(processes.list()).extracting(Workload::name).containsExactly("worker");
  }

  @Test
  void listMergesEveryRuntime() {
    merged.run(container("web"));
    merged.run(process("worker"));

    assertThat(merged.list()).extracting(Workload::name).containsExactlyInAnyOrder("web", "worker");
    assertThat(merged.kinds())
        .containsExactlyInAnyOrder(WorkloadKind.CONTAINER, WorkloadKind.PROCESS);
  }

  @Test
  void operationsOnAnIdGoToTheRuntimeThatOwnsIt() {
    Workload worker = processes.run(process("worker")); // not run through the merged view

    merged.stop(worker.id(), Duration.ofSeconds(1));

    assertThat(processes.inspect(worker.id()).orElseThrow().state())
        .isEqualTo(WorkloadState.EXITED);
  }

  @Test
  void anIdNoRuntimeKnowsIsNotFoundExceptToRemoveWhichDoesNothing() {
    assertThatThrownBy(() -> merged.stop("nobody", Duration.ofSeconds(1)))
        .isInstanceOfSatisfying(
            RuntimeFailure.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));

    merged.remove("nobody");
  }

  @Test
  void aListFailsWhenOneRuntimeCannotListRatherThanHideItsWorkloads() {
    merged.run(container("web"));
    containers.unavailable(true);

    assertThatThrownBy(merged::list)
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
              assertThat(e.getMessage()).contains("cannot list containers's workloads");
            });
  }

  @Test
  void aKindNoRuntimeServesIsUnavailable() {
    WorkloadSpec vm =
        WorkloadSpec.builder("vm", WorkloadKind.UNIKERNEL).image("/images/app.img").build();

    assertThatThrownBy(() -> merged.run(vm))
        .isInstanceOfSatisfying(
            RuntimeFailure.class,
            e ->
                assertThat(e.getMessage())
                    .isEqualTo("no runtime on this node runs unikernel workloads"));
  }

  @Test
  void imagesAreEnsuredByTheRuntimeOfTheSpecsKind() {
    containers.publish("registry.example/db:2.0.0");
    WorkloadSpec db =
        WorkloadSpec.builder("db", WorkloadKind.CONTAINER)
            .image("registry.example/db:2.0.0")
            .build();

    merged.ensureImage(db, PullPolicy.IF_ABSENT);

    assertThat(containers.hasImage("registry.example/db:2.0.0")).isTrue();
  }

  @Test
  void eventsOfEveryRuntimeReachOneWatcherUntilItStops() throws Exception {
    List<RuntimeEvent> events = new ArrayList<>();
    AutoCloseable watching = merged.watch(events::add);
    merged.run(container("web"));
    merged.run(process("worker"));
    watching.close();
    merged.run(process("after"));

    assertThat(events)
        .extracting(RuntimeEvent::name)
        .containsExactly("web", "web", "worker", "worker");
  }

  @Test
  void twoRuntimesMayNotServeTheSameKind() {
    assertThatThrownBy(() -> new MergedRuntime(List.of(containers, new FakeRuntime())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("served by both");
  }
}
