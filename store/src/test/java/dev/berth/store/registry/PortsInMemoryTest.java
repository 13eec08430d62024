package dev.berth.store.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Port allocations are read from memory, which holds exactly what the database holds. */
class PortsInMemoryTest {

  private static final String FILES = "file:/etc/berth/services";
  private static final SettableClock CLOCK =
      new SettableClock(Instant.parse("2026-11-22T10:00:00.987654321Z"));

  @TempDir Path dataDirectory;
  private Registry registry;

  @BeforeEach
  void open() {
    registry = Registry.open(RegistryConfig.at(dataDirectory).withClock(CLOCK));
    registry
        .services()
        .apply(ApplyRequest.of(FILES, List.of(Specs.web("blog"), Specs.web("shop"))));
    registry.ports().allocate(new PortKey("blog", "web", "https"), 20001);
    registry.ports().allocate(new PortKey("shop", "web", "https"), 20002);
    registry.ports().allocate(new PortKey("shop", "web", "admin"), 20003);
  }

  @AfterEach
  void close() {
    registry.close();
  }

  private void assertMemoryEqualsTheDatabase() {
    List<PortAllocation> stored = registry.ports().readAllFromDatabase();
    assertThat(registry.ports().list()).isEqualTo(stored);
    stored.forEach(a -> assertThat(registry.ports().get(a.key())).contains(a));
  }

  @Test
  void allocationsAreInMemoryAsStored() {
    assertThat(registry.ports().list())
        .extracting(PortAllocation::hostPort)
        .containsExactly(20001, 20002, 20003);
    assertMemoryEqualsTheDatabase();
  }

  @Test
  void deletingAServiceDropsItsAllocationsAndOnlyThose() {
    registry.services().delete("shop", null);

    assertThat(registry.ports().list())
        .extracting(PortAllocation::key)
        .containsExactly(new PortKey("blog", "web", "https"));
    assertThat(registry.ports().get(new PortKey("shop", "web", "admin"))).isEmpty();
    assertMemoryEqualsTheDatabase();
  }

  @Test
  void pruningAServiceDropsItsAllocations() {
    registry.services().apply(ApplyRequest.of(FILES, List.of(Specs.web("blog"))).withPrune(true));

    assertThat(registry.ports().list()).extracting(PortAllocation::hostPort).containsExactly(20001);
    assertMemoryEqualsTheDatabase();
  }

  @Test
  void aPortOfADeletedServiceCanBeGivenToAnother() {
    registry.services().delete("shop", null);

    PortAllocation moved = registry.ports().allocate(new PortKey("blog", "web", "admin"), 20002);

    assertThat(registry.ports().get(new PortKey("blog", "web", "admin"))).contains(moved);
    assertMemoryEqualsTheDatabase();
  }

  @Test
  void aRefusedAllocationLeavesNothingBehind() {
    assertThatThrownBy(() -> registry.ports().allocate(new PortKey("blog", "web", "x"), 20002))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> registry.ports().allocate(new PortKey("ghost", "web", "x"), 20009))
        .isInstanceOf(NotFoundException.class);

    assertThat(registry.ports().list()).hasSize(3);
    assertMemoryEqualsTheDatabase();
  }

  @Test
  void aSpareIsAddedToTheRouteKeepingItsFirstPort() {
    PortKey key = new PortKey("shop", "web", "https");

    PortAllocation both = registry.ports().allocateSpare(key, 20004);

    assertThat(both.hostPorts()).containsExactly(20002, 20004);
    assertThat(registry.ports().allocateSpare(key, 20005).spareHostPort()).isEqualTo(20004);
    assertThat(registry.ports().list()).hasSize(3);
    assertMemoryEqualsTheDatabase();
  }

  @Test
  void aSparePortIsNeverGivenTwice() {
    registry.ports().allocateSpare(new PortKey("shop", "web", "https"), 20004);

    assertThatThrownBy(() -> registry.ports().allocate(new PortKey("blog", "web", "x"), 20004))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(
            () -> registry.ports().allocateSpare(new PortKey("blog", "web", "https"), 20003))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(
            () -> registry.ports().allocateSpare(new PortKey("blog", "web", "none"), 20009))
        .isInstanceOf(NotFoundException.class);
    assertMemoryEqualsTheDatabase();
  }

  @Test
  void aSpareSurvivesReopening() {
    registry.ports().allocateSpare(new PortKey("shop", "web", "https"), 20004);
    List<PortAllocation> before = registry.ports().list();
    registry.close();

    registry = Registry.open(RegistryConfig.at(dataDirectory).withClock(CLOCK));

    assertThat(registry.ports().list()).isEqualTo(before);
    assertThat(registry.ports().get(new PortKey("shop", "web", "https")).orElseThrow().port(1))
        .isEqualTo(20004);
  }

  @Test
  void aRegistryOpenedAgainHoldsTheSameAllocations() {
    List<PortAllocation> before = registry.ports().list();
    registry.close();

    registry = Registry.open(RegistryConfig.at(dataDirectory).withClock(CLOCK));

    assertThat(registry.ports().list()).isEqualTo(before);
  }
}
