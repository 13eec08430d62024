package dev.berth.store.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.validation.InvalidSpecException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@link ServiceStore#subscribe} promises: every committed change, and nothing else. */
class DeclaredStateNotificationTest {

  private static final String FILES = "file:/etc/berth/services";

  private Registry registry;
  private ServiceStore services;
  private final List<List<String>> heard = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() {
    registry = Registry.open(RegistryConfig.inMemory());
    services = registry.services();
  }

  @AfterEach
  void close() {
    registry.close();
  }

  private ApplyResult apply(ServiceSpec... specs) {
    return services.apply(ApplyRequest.of(FILES, List.of(specs)));
  }

  @Test
  void everyCommittedWriteTellsWhichServicesItChanged() {
    services.subscribe(heard::add);

    apply(Specs.web("b"), Specs.web("a"));
    apply(Specs.web("a").withComment("changed"), Specs.web("b"));
    services.setDesiredState("a", DesiredState.STOPPED, null);
    services.setDesiredState("a", DesiredState.RUNNING, 3L);
    services.delete("b", null);
    services.apply(ApplyRequest.of(FILES, List.of(Specs.web("c"))).withPrune(true));

    assertThat(heard)
        .containsExactly(
            List.of("a", "b"), // created, in name order
            List.of("a"), // b is unchanged
            List.of("a"),
            List.of("a"),
            List.of("b"),
            List.of("a", "c")); // a pruned, c created
  }

  @Test
  void aWriteThatChangesNothingTellsNobody() {
    apply(Specs.web("shop"));
    services.subscribe(heard::add);

    apply(Specs.web("shop"));
    services.setDesiredState("shop", DesiredState.RUNNING, null);
    services.delete("ghost", null);

    assertThat(heard).isEmpty();
  }

  @Test
  void aDryRunTellsNobody() {
    apply(Specs.web("a"), Specs.web("b"));
    services.subscribe(heard::add);

    ApplyResult rehearsed =
        services.apply(
            ApplyRequest.of(FILES, List.of(Specs.web("a").withComment("new"), Specs.web("c")))
                .withPrune(true)
                .withDryRun(true));

    assertThat(rehearsed.count(ChangeKind.UNCHANGED)).isZero();
    assertThat(heard).isEmpty();
  }

  @Test
  void aRefusedOrRolledBackWriteTellsNobody() {
    apply(Specs.web("blog"));
    services.subscribe(heard::add);

    assertThatThrownBy(() -> apply(Specs.web("blog").withComponents(List.of())))
        .isInstanceOf(InvalidSpecException.class);
    assertThatThrownBy(
            () ->
                services.apply(
                    ApplyRequest.of(FILES, List.of(Specs.web("blog").withComment("x")))
                        .expecting("blog", 7)))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> services.setDesiredState("blog", DesiredState.STOPPED, 7L))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> services.delete("blog", 7L)).isInstanceOf(ConflictException.class);
    // Valid field by field, but too large to store: refused after the transaction updated "blog"
    // (the set is written in name order), so that update is rolled back.
    assertThatThrownBy(
            () -> apply(Specs.web("blog").withComment("new"), Specs.tooLargeToStore("zeta")))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("too large");

    assertThat(services.get("blog").orElseThrow().generation()).isEqualTo(1);
    assertThat(heard).isEmpty();
  }

  @Test
  void aSubscriberIsToldOnTheWritersThreadOnceTheWriteIsReadable() {
    List<String> seen = new ArrayList<>();
    Thread writer = Thread.currentThread();
    services.subscribe(
        names -> {
          assertThat(Thread.currentThread()).isSameAs(writer);
          names.forEach(
              name ->
                  seen.add(
                      name
                          + "@"
                          + services.get(name).map(s -> s.generation() + "").orElse("gone")));
        });

    apply(Specs.web("shop"));
    services.setDesiredState("shop", DesiredState.STOPPED, null);
    services.delete("shop", null);

    assertThat(seen).containsExactly("shop@1", "shop@2", "shop@gone");
  }

  @Test
  void anUnsubscribedOrFailingSubscriberNeitherHearsNorFailsTheWrite() throws Exception {
    AutoCloseable gone = services.subscribe(heard::add);
    services.subscribe(
        names -> {
          throw new IllegalStateException("subscriber broke");
        });
    List<List<String>> last = new CopyOnWriteArrayList<>();
    services.subscribe(last::add);

    apply(Specs.web("a"));
    gone.close();
    apply(Specs.web("b"));

    assertThat(heard).containsExactly(List.of("a"));
    assertThat(last).containsExactly(List.of("a"), List.of("b"));
    assertThat(services.names()).containsExactly("a", "b");
  }

  /**
   * The promise a node's loops rest on: subscribe, then list, and no write is lost, whatever a
   * concurrent writer does meanwhile.
   */
  @Test
  void subscribingThenListingMissesNoWriteOfAConcurrentWriter() throws Exception {
    int count = 300;
    CountDownLatch someWritten = new CountDownLatch(20);
    Thread writer =
        new Thread(
            () ->
                IntStream.range(0, count)
                    .forEach(
                        i -> {
                          apply(Specs.web(String.format("s%03d", i)));
                          someWritten.countDown();
                        }),
            "writer");
    writer.start();
    assertThat(someWritten.await(30, TimeUnit.SECONDS)).isTrue();

    Set<String> known = new java.util.concurrent.ConcurrentSkipListSet<>();
    services.subscribe(known::addAll);
    known.addAll(services.names());
    writer.join(TimeUnit.SECONDS.toMillis(60));

    assertThat(writer.isAlive()).isFalse();
    assertThat(known).hasSize(count).isEqualTo(new TreeSet<>(services.names()));
  }
}
