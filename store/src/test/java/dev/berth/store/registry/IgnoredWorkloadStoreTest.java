package dev.berth.store.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workloads without Berth's labels, as the last relist saw them. */
class IgnoredWorkloadStoreTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  @TempDir Path dataDirectory;
  private final SettableClock clock = new SettableClock(T0);
  private Registry registry;

  @BeforeEach
  void open() {
    registry = Registry.open(RegistryConfig.at(dataDirectory).withClock(clock));
  }

  @AfterEach
  void close() {
    registry.close();
  }

  private void reopen() {
    registry.close();
    registry = Registry.open(RegistryConfig.at(dataDirectory).withClock(clock));
  }

  private static IgnoredWorkload seen(String id, String state) {
    return IgnoredWorkload.observed(
        "podman", id, "legacy-" + id, "container", "r.example/x:1", state, null);
  }

  @Test
  void aWorkloadFirstFoundIsListedAsFirstAndLastSeenNow() {
    boolean changed =
        registry.ignored().replaceAll(List.of(seen("b", "running"), seen("a", "running")));

    assertThat(changed).isTrue();
    assertThat(registry.ignored().list())
        .containsExactly(seen("a", "running").seen(T0, T0), seen("b", "running").seen(T0, T0));
  }

  @Test
  void aKnownWorkloadKeepsWhenItWasFirstSeen() {
    registry.ignored().replaceAll(List.of(seen("a", "running")));
    clock.advance(Duration.ofMinutes(5));

    registry.ignored().replaceAll(List.of(seen("a", "exited")));

    assertThat(registry.ignored().list())
        .containsExactly(seen("a", "exited").seen(T0, T0.plus(Duration.ofMinutes(5))));
  }

  @Test
  void aWorkloadNoLongerFoundIsDropped() {
    registry.ignored().replaceAll(List.of(seen("a", "running"), seen("b", "running")));

    assertThat(registry.ignored().replaceAll(List.of(seen("b", "running")))).isTrue();

    assertThat(registry.ignored().list()).extracting(IgnoredWorkload::id).containsExactly("b");
    reopen();
    assertThat(registry.ignored().list()).extracting(IgnoredWorkload::id).containsExactly("b");
  }

  @Test
  void theSameSetAgainIsNotWrittenAndOnlyItsLastSeenMovesInMemory() {
    registry.ignored().replaceAll(List.of(seen("a", "running")));
    clock.advance(Duration.ofMinutes(1));

    boolean changed = registry.ignored().replaceAll(List.of(seen("a", "running")));

    assertThat(changed).isFalse();
    assertThat(registry.ignored().list().get(0).lastSeen()).isEqualTo(T0.plusSeconds(60));
    reopen(); // what is on disk: the first relist's write only
    assertThat(registry.ignored().list()).containsExactly(seen("a", "running").seen(T0, T0));
  }

  @Test
  void aChangeIsWrittenWithTheWholeSetsLastSeen() {
    registry.ignored().replaceAll(List.of(seen("a", "running"), seen("b", "running")));
    clock.advance(Duration.ofMinutes(1));
    registry.ignored().replaceAll(List.of(seen("a", "running"), seen("b", "exited")));
    List<IgnoredWorkload> inMemory = registry.ignored().list();

    reopen();

    assertThat(registry.ignored().list()).isEqualTo(inMemory);
    assertThat(inMemory)
        .extracting(IgnoredWorkload::lastSeen)
        .containsOnly(T0.plus(Duration.ofMinutes(1)));
  }

  @Test
  void anEmptyRelistDropsEveryWorkload() {
    registry.ignored().replaceAll(List.of(seen("a", "running")));

    registry.ignored().replaceAll(List.of());

    assertThat(registry.ignored().list()).isEmpty();
    reopen();
    assertThat(registry.ignored().list()).isEmpty();
  }

  @Test
  void aWorkloadListedTwiceIsRefusedAndNothingChanges() {
    registry.ignored().replaceAll(List.of(seen("a", "running")));

    assertThatThrownBy(
            () -> registry.ignored().replaceAll(List.of(seen("b", "running"), seen("b", "exited"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("workload b of runtime podman is listed twice");

    assertThat(registry.ignored().list()).extracting(IgnoredWorkload::id).containsExactly("a");
  }

  @Test
  void theSameIdInTwoRuntimesIsTwoWorkloads() {
    registry
        .ignored()
        .replaceAll(
            List.of(
                seen("a", "running"),
                IgnoredWorkload.observed("qemu", "a", "vm", "unikernel", "/img", "running", null)));

    assertThat(registry.ignored().list())
        .extracting(IgnoredWorkload::runtime)
        .containsExactly("podman", "qemu");
  }
}
