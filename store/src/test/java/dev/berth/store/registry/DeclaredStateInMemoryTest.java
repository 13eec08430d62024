package dev.berth.store.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.validation.InvalidSpecException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Declared services are read from memory; what memory holds is, after every kind of write and every
 * kind of failed write, exactly what the database holds.
 */
class DeclaredStateInMemoryTest {

  private static final String FILES = "file:/etc/berth/services";

  /** Nanoseconds, finer than the database keeps: memory must hold what the database keeps. */
  private static final SettableClock CLOCK =
      new SettableClock(Instant.parse("2026-11-22T10:00:00.123456789Z"));

  @TempDir Path dataDirectory;
  private Registry registry;
  private ServiceStore services;

  @BeforeEach
  void open() {
    registry = Registry.open(RegistryConfig.at(dataDirectory).withClock(CLOCK));
    services = registry.services();
    services.apply(
        ApplyRequest.of(FILES, List.of(Specs.web("blog"), Specs.web("shop"), Specs.web("wiki"))));
  }

  @AfterEach
  void close() {
    registry.close();
  }

  private void assertMemoryEqualsTheDatabase() {
    List<StoredService> stored = services.readAllFromDatabase();
    assertThat(services.list()).isEqualTo(stored);
    assertThat(services.names()).isEqualTo(stored.stream().map(StoredService::name).toList());
    for (StoredService service : stored) {
      assertThat(services.get(service.name())).contains(service);
    }
  }

  @Test
  void createdServicesAreInMemoryAsStored() {
    services.apply(ApplyRequest.of(FILES, List.of(Specs.everything("mc-proxy"))));

    assertThat(services.get("mc-proxy").orElseThrow().spec())
        .isEqualTo(Specs.everything("mc-proxy"));
    assertMemoryEqualsTheDatabase();
  }

  @Test
  void anUpdateReplacesTheServiceInMemory() {
    services.apply(ApplyRequest.of(FILES, List.of(Specs.web("shop").withComment("changed"))));

    assertThat(services.get("shop").orElseThrow().generation()).isEqualTo(2);
    assertThat(services.get("shop").orElseThrow().spec().comment()).isEqualTo("changed");
    assertMemoryEqualsTheDatabase();
  }

  @Test
  void aPruneRemovesTheServicesFromMemory() {
    services.apply(ApplyRequest.of(FILES, List.of(Specs.web("shop"))).withPrune(true));

    assertThat(services.names()).containsExactly("shop");
    assertThat(services.get("blog")).isEmpty();
    assertMemoryEqualsTheDatabase();
  }

  @Test
  void aNewDesiredStateIsInMemory() {
    StoredService stopped = services.setDesiredState("shop", DesiredState.STOPPED, 1L);

    assertThat(services.get("shop")).contains(stopped);
    assertThat(stopped.spec().desiredState()).isEqualTo(DesiredState.STOPPED);
    assertMemoryEqualsTheDatabase();
  }

  @Test
  void aDeletedServiceIsGoneFromMemory() {
    services.delete("shop", null);

    assertThat(services.get("shop")).isEmpty();
    assertThat(services.names()).containsExactly("blog", "wiki");
    assertMemoryEqualsTheDatabase();
  }

  @Test
  void aConflictingApplyLeavesMemoryAsItWas() {
    List<StoredService> before = services.list();

    assertThatThrownBy(
            () ->
                services.apply(
                    ApplyRequest.of(FILES, List.of(Specs.web("shop").withComment("late")))
                        .expecting("shop", 7)))
        .isInstanceOf(ConflictException.class);

    assertThat(services.list()).isEqualTo(before);
    assertMemoryEqualsTheDatabase();
  }

  @Test
  void anApplyThatFailsAfterWritingPartOfTheSetLeavesMemoryAsItWas() {
    List<StoredService> before = services.list();
    // Valid field by field, but too large to store: refused while the transaction has already
    // updated "blog" (the set is written in name order), so that update is rolled back.
    ServiceSpec tooLarge = Specs.tooLargeToStore("zeta");

    assertThatThrownBy(
            () ->
                services.apply(
                    ApplyRequest.of(
                        FILES, List.of(Specs.web("blog").withComment("new"), tooLarge))))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("too large");

    assertThat(services.list()).isEqualTo(before);
    assertMemoryEqualsTheDatabase();
  }

  @Test
  void anInvalidApplyLeavesMemoryAsItWas() {
    List<StoredService> before = services.list();
    // "wiki.example.com" on 443 is claimed by wiki: refused inside the transaction.
    ServiceSpec thief =
        Specs.web("thief")
            .withComponents(
                List.of(
                    Specs.web("thief")
                        .components()
                        .get(0)
                        .withRoutes(Specs.web("wiki").components().get(0).routes())));

    assertThatThrownBy(() -> services.apply(ApplyRequest.of(FILES, List.of(thief))))
        .isInstanceOf(ConflictException.class);

    assertThat(services.list()).isEqualTo(before);
    assertMemoryEqualsTheDatabase();
  }

  @Test
  void aDryRunLeavesMemoryAsItWas() {
    List<StoredService> before = services.list();

    ApplyResult result =
        services.apply(
            ApplyRequest.of(
                    FILES, List.of(Specs.web("shop").withComment("maybe"), Specs.web("new")))
                .withPrune(true)
                .withDryRun(true));

    assertThat(result.count(ChangeKind.PRUNED)).isEqualTo(2);
    assertThat(services.list()).isEqualTo(before);
    assertMemoryEqualsTheDatabase();
  }

  @Test
  void aFailedStateChangeOrDeleteLeavesMemoryAsItWas() {
    List<StoredService> before = services.list();

    assertThatThrownBy(() -> services.setDesiredState("shop", DesiredState.STOPPED, 9L))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> services.delete("shop", 9L)).isInstanceOf(ConflictException.class);

    assertThat(services.list()).isEqualTo(before);
    assertMemoryEqualsTheDatabase();
  }

  @Test
  void aRegistryOpenedAgainHoldsWhatMemoryHeld() {
    services.apply(ApplyRequest.of(FILES, List.of(Specs.everything("mc-proxy"))));
    services.setDesiredState("shop", DesiredState.STOPPED, null);
    services.delete("blog", null);
    List<StoredService> before = services.list();
    registry.close();

    registry = Registry.open(RegistryConfig.at(dataDirectory).withClock(CLOCK));
    services = registry.services();

    assertThat(services.list()).isEqualTo(before);
    assertThat(services.names()).containsExactly("mc-proxy", "shop", "wiki");
  }
}
