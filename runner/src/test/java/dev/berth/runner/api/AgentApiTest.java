package dev.berth.runner.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.rpc.BadRequest;
import dev.berth.proto.v1.AgentProto;
import dev.berth.proto.v1.AgentServiceGrpc;
import dev.berth.reconcilers.node.BerthNode;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadKind;
import dev.berth.runtime.WorkloadRuntime;
import dev.berth.runtime.fake.FakeRuntime;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.ComponentStatus;
import dev.berth.store.registry.Condition;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryConfig;
import dev.berth.store.registry.ServiceEvent;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API's contract, in-process, over a real registry and the loops on the fake runtime. */
class AgentApiTest {

  static final String IMAGE = "localhost/app:1.4";

  @TempDir Path data;
  Registry registry;
  FakeRuntime runtime;
  BerthNode node;

  /**
   * Open unless a test closes it: while closed, the node's calls to create a workload (or check its
   * image) wait, so that a reconcile stays in flight for as long as the test needs.
   */
  volatile CountDownLatch creations = new CountDownLatch(0);

  ExecutorService streams;
  Server server;
  ManagedChannel channel;
  AgentServiceGrpc.AgentServiceBlockingStub api;

  @BeforeEach
  void start() throws Exception {
    registry = Registry.open(RegistryConfig.at(data));
    runtime = new FakeRuntime().addImage(IMAGE);
    node =
        BerthNode.builder(registry, heldCreations(runtime))
            .relistPeriod(Duration.ofMillis(200))
            .statusFlushInterval(Duration.ofMillis(20))
            .build();
    node.start();
    streams = Executors.newCachedThreadPool();
    NodeInfo info =
        new NodeInfo(
            "test",
            "node-1",
            Instant.now(),
            List.of(new NodeInfo.RuntimeDescription("fake", Set.of(WorkloadKind.CONTAINER))));
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(
                new AgentApi(registry, node, runtime, () -> info, List.of(), streams)
                    .serviceDefinition())
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
    api = AgentServiceGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stop() {
    creations.countDown();
    channel.shutdownNow();
    server.shutdownNow();
    streams.shutdownNow();
    node.stop(Duration.ofSeconds(5));
    registry.close();
  }

  /**
   * The fake as the node sees it: creating a workload, or checking its image, waits for {@link
   * #creations}.
   */
  WorkloadRuntime heldCreations(FakeRuntime fake) {
    return (WorkloadRuntime)
        Proxy.newProxyInstance(
            WorkloadRuntime.class.getClassLoader(),
            new Class<?>[] {WorkloadRuntime.class},
            (proxy, method, args) -> {
              if (method.getName().equals("ensureImage") || method.getName().equals("run")) {
                creations.await();
              }
              try {
                return method.invoke(fake, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  static AgentProto.ServiceSpec service(String name) {
    return AgentProto.ServiceSpec.newBuilder()
        .setName(name)
        .addComponents(
            AgentProto.ComponentSpec.newBuilder()
                .setName("web")
                .setImage(IMAGE)
                .setRestart("always")
                .addRoutes(
                    AgentProto.RouteSpec.newBuilder()
                        .setName("http")
                        .setPort(8080)
                        .setMode("l7")
                        .setHostname(name + ".example.internal")))
        .build();
  }

  AgentProto.ApplyResponse apply(AgentProto.ServiceSpec... specs) {
    return api.apply(AgentProto.ApplyRequest.newBuilder().addAllServices(List.of(specs)).build());
  }

  AgentProto.Service awaitRunning(String name) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> api.getService(AgentProto.GetServiceRequest.newBuilder().setName(name).build()),
            s -> s.getComponentsList().stream().allMatch(c -> c.getState().equals("running")));
  }

  static Status.Code codeOf(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
    throw new AssertionError("the call succeeded");
  }

  @Test
  void applyCreatesThenLeavesAnUnchangedServiceAlone() {
    assertThat(apply(service("shop")).getChanges(0).getKind())
        .isEqualTo(AgentProto.ServiceChange.Kind.CREATED);
    assertThat(apply(service("shop")).getChanges(0).getKind())
        .isEqualTo(AgentProto.ServiceChange.Kind.UNCHANGED);
  }

  @Test
  void anAppliedServiceRunsAndShowsItsVersionPortAndUptime() {
    apply(service("shop"));

    AgentProto.Service shop = awaitRunning("shop");

    var web = shop.getComponents(0);
    // The runtime that runs it, as NodeInfo names it, not the declared kind ("container").
    assertThat(web.getRuntime()).isEqualTo("fake");
    assertThat(web.getVersion()).isEqualTo("1.4");
    assertThat(web.getPortsList())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getRoute()).isEqualTo("http");
              assertThat(p.getContainerPort()).isEqualTo(p.getHostPort());
              assertThat(p.getHostPort()).isBetween(10000, 60000);
            });
    assertThat(web.hasStartedAt()).isTrue();
    assertThat(web.getObservedGeneration()).isEqualTo(shop.getGeneration());
  }

  @Test
  void aDryRunShowsTheDiffAndChangesNothing() {
    apply(service("shop"));
    AgentProto.ServiceSpec changed =
        service("shop").toBuilder()
            .setComponents(
                0, service("shop").getComponents(0).toBuilder().setImage("localhost/app:2.0"))
            .build();

    AgentProto.ApplyResponse response =
        api.apply(
            AgentProto.ApplyRequest.newBuilder().addServices(changed).setDryRun(true).build());

    assertThat(response.getDryRun()).isTrue();
    assertThat(response.getChanges(0).getKind()).isEqualTo(AgentProto.ServiceChange.Kind.UPDATED);
    assertThat(response.getChanges(0).getDiffList())
        .anySatisfy(d -> assertThat(d.getAfter()).contains("2.0"));
    assertThat(registry.services().get("shop").orElseThrow().spec().components().get(0).image())
        .isEqualTo(IMAGE);
  }

  @Test
  void invalidInputIsRefusedWithEveryFieldPathAndChangesNothing() throws Exception {
    AgentProto.ServiceSpec bad =
        service("shop").toBuilder()
            .setComponents(
                0,
                service("shop").getComponents(0).toBuilder()
                    .setRoutes(
                        0,
                        AgentProto.RouteSpec.newBuilder()
                            .setName("http")
                            .setPort(70000)
                            .setMode("l7")))
            .build();

    StatusRuntimeException refused =
        (StatusRuntimeException) catchThrown(() -> apply(service("blog"), bad));

    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(refused.getStatus().getDescription())
        .contains("services[shop].components[0].routes[0].port: must be 1..65535");
    BadRequest details = StatusProto.fromThrowable(refused).getDetails(0).unpack(BadRequest.class);
    assertThat(details.getFieldViolationsList())
        .anySatisfy(
            v -> assertThat(v.getField()).isEqualTo("services[shop].components[0].routes[0].port"));
    assertThat(registry.services().names()).isEmpty();
  }

  @Test
  void aMisspelledEnumNamesItsFieldAndTheChoices() {
    AgentProto.ServiceSpec bad =
        service("shop").toBuilder()
            .setComponents(0, service("shop").getComponents(0).toBuilder().setRuntime("docker"))
            .build();

    StatusRuntimeException refused = (StatusRuntimeException) catchThrown(() -> apply(bad));

    assertThat(refused.getStatus().getDescription())
        .isEqualTo(
            "services[shop].components[0].runtime: must be \"container\" | \"unikernel\" |"
                + " \"process\", was \"docker\"");
  }

  @Test
  void aStaleExpectedGenerationIsAConflict() {
    apply(service("shop"));

    assertThat(
            codeOf(
                () ->
                    api.stopService(
                        AgentProto.ServiceRequest.newBuilder()
                            .setName("shop")
                            .setExpectedGeneration(7)
                            .build())))
        .isEqualTo(Status.Code.ABORTED);
    assertThat(registry.services().get("shop").orElseThrow().generation()).isEqualTo(1);
  }

  @Test
  void anUnknownServiceIsNotFound() {
    AgentProto.ServiceRequest ghost =
        AgentProto.ServiceRequest.newBuilder().setName("ghost").build();
    assertThat(
            codeOf(
                () ->
                    api.getService(
                        AgentProto.GetServiceRequest.newBuilder().setName("ghost").build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(codeOf(() -> api.stopService(ghost))).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(codeOf(() -> api.startService(ghost))).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(codeOf(() -> api.restartService(ghost))).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(codeOf(() -> api.deleteService(ghost))).isEqualTo(Status.Code.NOT_FOUND);
  }

  /**
   * shop with its image at {@code image}, and no route: one that waits for no certificate, and so
   * converges once it runs.
   */
  static AgentProto.ServiceSpec shopWith(String image) {
    return service("shop").toBuilder()
        .setComponents(
            0, service("shop").getComponents(0).toBuilder().clearRoutes().setImage(image))
        .build();
  }

  AgentProto.HistoryResponse history(String name) {
    return api.history(AgentProto.HistoryRequest.newBuilder().setService(name).build());
  }

  @Test
  void historyListsEachSpecWithWhatChangedAndWhetherTheServiceConvergedRunningIt() {
    apply(shopWith(IMAGE));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> history("shop").getEntries(0).hasHealthyAt());
    apply(shopWith("localhost/app:2.0")); // not in the fake runtime: it never runs

    AgentProto.HistoryResponse history = history("shop");

    assertThat(history.getGeneration()).isEqualTo(2);
    assertThat(history.getLimit()).isEqualTo(10);
    assertThat(history.getEntriesList())
        .extracting(AgentProto.HistoryEntry::getGeneration)
        .containsExactly(1L, 2L);
    AgentProto.HistoryEntry second = history.getEntries(1);
    assertThat(second.getSource()).isEqualTo("api");
    assertThat(second.hasHealthyAt()).isFalse();
    assertThat(second.getSpec().getComponents(0).getImage()).isEqualTo("localhost/app:2.0");
    assertThat(second.getChangesList())
        .containsExactly(
            AgentProto.FieldChange.newBuilder()
                .setPath("components[0].image")
                .setBefore("\"" + IMAGE + "\"")
                .setAfter("\"localhost/app:2.0\"")
                .build());
  }

  @Test
  void rollbackWithoutAGenerationDeclaresTheSpecBeforeTheNewestAgain() {
    apply(shopWith(IMAGE));
    apply(shopWith("localhost/app:2.0"));

    AgentProto.RollbackResponse response =
        api.rollback(AgentProto.RollbackRequest.newBuilder().setService("shop").build());

    assertThat(response.getRolledBackTo()).isEqualTo(1);
    assertThat(response.getChange().getKind()).isEqualTo(AgentProto.ServiceChange.Kind.UPDATED);
    assertThat(response.getChange().getGeneration()).isEqualTo(3);
    assertThat(registry.services().get("shop").orElseThrow().spec().components().get(0).image())
        .isEqualTo(IMAGE);
    AgentProto.HistoryEntry newest = history("shop").getEntries(2);
    assertThat(newest.getRollbackOf()).isEqualTo(1);
    assertThat(newest.getSource()).isEqualTo("api");
    assertThat(registry.events().of("shop"))
        .extracting(ServiceEvent::reason, ServiceEvent::message)
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                "RolledBack",
                "declared the spec of generation 1 again as generation 3 (rollback by api)"));
    awaitRunning("shop");
  }

  @Test
  void rollbackRefusesWhatCannotBeAGenerationOrASource() {
    apply(service("shop"));
    apply(shopWith("localhost/app:2.0"));

    assertThat(
            codeOf(
                () ->
                    api.rollback(
                        AgentProto.RollbackRequest.newBuilder()
                            .setService("shop")
                            .setToGeneration(-1)
                            .build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(
            codeOf(
                () ->
                    api.rollback(
                        AgentProto.RollbackRequest.newBuilder()
                            .setService("shop")
                            .setExpectedGeneration(-1)
                            .build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(
            codeOf(
                () ->
                    api.rollback(
                        AgentProto.RollbackRequest.newBuilder()
                            .setService("shop")
                            .setSource("a\nb")
                            .build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(registry.services().get("shop").orElseThrow().generation()).isEqualTo(2);
  }

  @Test
  void rollbackOfAServiceWithNothingEarlierOrOfAnUnknownOneIsNotFound() {
    apply(service("shop"));

    assertThat(
            codeOf(
                () ->
                    api.rollback(
                        AgentProto.RollbackRequest.newBuilder().setService("shop").build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(
            codeOf(
                () ->
                    api.rollback(
                        AgentProto.RollbackRequest.newBuilder().setService("ghost").build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(codeOf(() -> history("ghost"))).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void stopKeepsTheWorkloadStoppedAndStartRunsItAgain() {
    apply(service("shop"));
    String id = awaitRunning("shop").getComponents(0).getWorkloadId();
    AgentProto.ServiceRequest shop = AgentProto.ServiceRequest.newBuilder().setName("shop").build();

    assertThat(api.stopService(shop).getSpec().getDesiredState()).isEqualTo("stopped");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !runtime.inspect(id).orElseThrow().running());
    api.startService(shop);

    assertThat(awaitRunning("shop").getComponents(0).getWorkloadId()).isEqualTo(id);
  }

  @Test
  void restartingAStoppedServiceIsRefused() {
    apply(service("shop"));
    AgentProto.ServiceRequest shop = AgentProto.ServiceRequest.newBuilder().setName("shop").build();
    api.stopService(shop);

    assertThat(codeOf(() -> api.restartService(shop))).isEqualTo(Status.Code.FAILED_PRECONDITION);
  }

  @Test
  void restartKeepsTheWorkloadAndStartsItAgain() {
    apply(service("shop"));
    var before = awaitRunning("shop").getComponents(0);
    Instant startedBefore = runtime.inspect(before.getWorkloadId()).orElseThrow().startedAt();

    api.restartService(AgentProto.ServiceRequest.newBuilder().setName("shop").build());

    Workload after = runtime.inspect(before.getWorkloadId()).orElseThrow();
    assertThat(after.running()).isTrue();
    assertThat(after.startedAt()).isAfter(startedBefore);
  }

  @Test
  void deleteRemovesTheServiceAndItsWorkloads() {
    apply(service("shop"));
    String id = awaitRunning("shop").getComponents(0).getWorkloadId();

    api.deleteService(AgentProto.ServiceRequest.newBuilder().setName("shop").build());

    assertThat(
            api.listServices(AgentProto.ListServicesRequest.getDefaultInstance()).getServicesList())
        .isEmpty();
    await().atMost(Duration.ofSeconds(10)).until(() -> runtime.inspect(id).isEmpty());
  }

  @Test
  void aWatchSendsTheHistoryThenEventsAsTheyHappen() {
    apply(service("shop"));
    awaitRunning("shop");
    Iterator<AgentProto.Event> events =
        api.withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS)
            .watch(AgentProto.WatchRequest.newBuilder().setHistory(1).setFollow(true).build());
    AgentProto.Event last = events.next();

    api.restartService(AgentProto.ServiceRequest.newBuilder().setName("shop").build());

    List<String> reasons = new ArrayList<>();
    while (!reasons.contains("Restarted")) {
      AgentProto.Event next = events.next();
      assertThat(next.getId()).isGreaterThan(last.getId());
      reasons.add(next.getReason());
    }
  }

  @Test
  void aWatchSendsAnEventAgainEachTimeItIsCountedAndTheHistoryOnce() {
    apply(service("shop"));
    awaitRunning("shop");
    registry.events().record("shop", "web", ServiceEvent.Type.WARNING, "Failed", "port taken");
    Iterator<AgentProto.Event> events =
        api.withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS)
            .watch(
                AgentProto.WatchRequest.newBuilder()
                    .setService("shop")
                    .setHistory(1)
                    .setFollow(true)
                    .build());
    AgentProto.Event first = events.next();
    assertThat(first.getCount()).isEqualTo(1);

    registry.events().record("shop", "web", ServiceEvent.Type.WARNING, "Failed", "port taken");
    registry.events().record("shop", "web", ServiceEvent.Type.WARNING, "Failed", "port taken");

    AgentProto.Event second = events.next();
    AgentProto.Event third = events.next();
    assertThat(List.of(second.getId(), third.getId())).containsOnly(first.getId());
    assertThat(List.of(second.getCount(), third.getCount())).containsExactly(2, 3);
    assertThat(third.getAt()).isEqualTo(first.getAt());
    assertThat(third.hasLastSeen()).isTrue();
    AgentProto.Service shop =
        api.getService(
            AgentProto.GetServiceRequest.newBuilder().setName("shop").setEvents(1).build());
    assertThat(shop.getEventsList())
        .singleElement()
        .satisfies(event -> assertThat(event.getCount()).isEqualTo(3));
  }

  @Test
  void aWatchWithoutFollowEndsAfterTheHistory() {
    apply(service("shop"));
    awaitRunning("shop");
    await().atMost(Duration.ofSeconds(5)).until(() -> !registry.events().of("shop").isEmpty());

    List<AgentProto.Event> events = new ArrayList<>();
    api.watch(AgentProto.WatchRequest.newBuilder().setService("shop").setHistory(100).build())
        .forEachRemaining(events::add);

    assertThat(events).extracting(AgentProto.Event::getReason).contains("Created");
  }

  @Test
  void logsOfAComponentWithoutAWorkloadAreRefusedWithAHint() {
    apply(service("shop").toBuilder().setDesiredState("stopped").build());

    StatusRuntimeException refused =
        (StatusRuntimeException)
            catchThrown(
                () ->
                    api.logs(AgentProto.LogsRequest.newBuilder().setService("shop").build())
                        .forEachRemaining(line -> {}));

    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(refused.getStatus().getDescription()).contains("berth status shop");
  }

  @Test
  void nodeStatusCountsServicesAndComponentsByState() {
    apply(service("shop"), service("blog"));
    awaitRunning("shop");
    awaitRunning("blog");

    var status = api.nodeStatus(AgentProto.NodeStatusRequest.getDefaultInstance());

    assertThat(status.getServices()).isEqualTo(2);
    assertThat(status.getComponentsByStateMap()).containsEntry("running", 2);
    assertThat(status.getRuntimesList())
        .singleElement()
        .satisfies(r -> assertThat(r.getName()).isEqualTo("fake"));
    assertThat(status.getLoopsList()).extracting(l -> l.getName()).contains("services");
  }

  /**
   * Declares {@code name} straight in the registry, with what an earlier agent observed of it an
   * hour ago: running, Ready.
   */
  void declaredWithAnEarlierAgentsStatus(String name) {
    registry
        .services()
        .apply(
            ApplyRequest.of(
                "test", List.of(ServiceSpec.of(name, ComponentSpec.container("web", IMAGE)))));
    Instant earlier = Instant.now().minus(Duration.ofHours(1));
    registry
        .status()
        .put(
            new ComponentStatus(
                name,
                "web",
                "container",
                "running",
                "gone-0001",
                IMAGE,
                "hash",
                1,
                null,
                earlier,
                null,
                earlier));
    registry
        .status()
        .putCondition(
            name,
            new Condition(
                "web",
                "Ready",
                Condition.Status.TRUE,
                "Running",
                "running the current spec",
                earlier));
  }

  @Test
  void aServiceThisAgentHasNotObservedIsPendingAndUnknownNotWhatAnEarlierAgentSaw() {
    await().atMost(Duration.ofSeconds(10)).until(node::ready);
    // Its reconcile, asked for by the registry, waits to create the workload: nothing observed yet.
    creations = new CountDownLatch(1);
    declaredWithAnEarlierAgentsStatus("old");

    AgentProto.Service old =
        api.getService(AgentProto.GetServiceRequest.newBuilder().setName("old").build());

    var web = old.getComponents(0);
    assertThat(web.getState()).isEqualTo("pending");
    assertThat(web.hasStartedAt()).isFalse();
    assertThat(web.getUptimeSeconds()).isZero();
    assertThat(web.getWorkloadId()).isEmpty();
    assertThat(web.getVersion()).isEmpty();
    assertThat(web.getMessage())
        .startsWith("not observed by this agent yet (not reconciled since the agent started)")
        .contains("an earlier agent last saw it running at");
    assertThat(old.getConditionsList())
        .singleElement()
        .satisfies(
            ready -> {
              assertThat(ready.getType()).isEqualTo("Ready");
              assertThat(ready.getStatus()).isEqualTo("Unknown");
              assertThat(ready.getReason()).isEqualTo("NotObserved");
              assertThat(ready.getMessage()).endsWith("an earlier agent said True: Running");
            });
    assertThat(
            api.nodeStatus(AgentProto.NodeStatusRequest.getDefaultInstance())
                .getComponentsByStateMap())
        .containsEntry("pending", 1)
        .doesNotContainKey("running");

    creations.countDown();

    AgentProto.Service observed = awaitRunning("old");
    assertThat(observed.getComponents(0).getWorkloadId()).isNotEqualTo("gone-0001");
    assertThat(observed.getConditionsList())
        .extracting(c -> c.getType() + "=" + c.getStatus())
        .containsExactlyInAnyOrder("Ready=True", "Converged=True");
  }

  @Test
  void aTerminalRuntimeFailureShowsItsReasonAndIsMarkedTerminal() {
    apply(
        service("shop").toBuilder()
            .setComponents(
                0, service("shop").getComponents(0).toBuilder().setImage("localhost/none:1"))
            .build());

    AgentProto.Service shop =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    api.getService(
                        AgentProto.GetServiceRequest.newBuilder().setName("shop").build()),
                s -> s.getComponents(0).getState().equals("ImageMissing"));

    var web = shop.getComponents(0);
    assertThat(web.getTerminal()).isTrue();
    assertThat(web.getMessage()).startsWith("ensure image localhost/none:1 failed: ");
    assertThat(shop.getConditionsList())
        .filteredOn(c -> c.getType().equals("Ready"))
        .singleElement()
        .satisfies(
            ready -> {
              assertThat(ready.getStatus()).isEqualTo("False");
              assertThat(ready.getReason()).isEqualTo("ImageMissing");
            });
  }

  static Throwable catchThrown(Runnable call) {
    try {
      call.run();
    } catch (Throwable e) {
      return e;
    }
    throw new AssertionError("the call succeeded");
  }

  // ---- label selectors and event filters ----

  static AgentProto.ServiceSpec labelled(String name, String... keyValues) {
    // Without routes: no port is allocated, so the node records no event of its own for it.
    AgentProto.ServiceSpec.Builder spec =
        service(name).toBuilder()
            .setComponents(0, service(name).getComponents(0).toBuilder().clearRoutes());
    for (int i = 0; i < keyValues.length; i += 2) {
      spec.putLabels(keyValues[i], keyValues[i + 1]);
    }
    return spec.build();
  }

  List<String> listed(String selector) {
    return api
        .listServices(
            AgentProto.ListServicesRequest.newBuilder().setLabelSelector(selector).build())
        .getServicesList()
        .stream()
        .map(s -> s.getSpec().getName())
        .toList();
  }

  @Test
  void listServicesReturnsOnlyTheServicesWhoseLabelsMatchTheSelector() {
    apply(
        labelled("shop", "tier", "web", "env", "prod"),
        labelled("blog", "tier", "web", "env", "staging"),
        labelled("db", "tier", "db"));

    assertThat(listed("tier=web")).containsExactly("blog", "shop");
    assertThat(listed("tier=web,env!=prod")).containsExactly("blog");
    assertThat(listed("!env")).containsExactly("db");
    assertThat(listed("")).containsExactly("blog", "db", "shop");
  }

  @Test
  void aServicesLabelsComeBackInItsSpec() {
    apply(labelled("shop", "tier", "web"));

    assertThat(
            api.getService(AgentProto.GetServiceRequest.newBuilder().setName("shop").build())
                .getSpec()
                .getLabelsMap())
        .containsExactlyEntriesOf(java.util.Map.of("tier", "web"));
  }

  @Test
  void aMalformedSelectorIsInvalidArgumentNamingLabelSelector() throws Exception {
    StatusRuntimeException refused = (StatusRuntimeException) catchThrown(() -> listed("tier=="));

    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(refused.getStatus().getDescription())
        .contains("label_selector: \"tier==\": a value must follow \"==\"");
    BadRequest details = StatusProto.fromThrowable(refused).getDetails(0).unpack(BadRequest.class);
    assertThat(details.getFieldViolations(0).getField()).isEqualTo("label_selector");
  }

  @Test
  void aMalformedSelectorOrTypeOfAWatchIsInvalidArgumentNamingTheField() {
    StatusRuntimeException selector =
        (StatusRuntimeException)
            catchThrown(
                () ->
                    api.watch(
                            AgentProto.WatchRequest.newBuilder()
                                .setLabelSelector("a in (b")
                                .build())
                        .hasNext());
    StatusRuntimeException type =
        (StatusRuntimeException)
            catchThrown(
                () ->
                    api.watch(AgentProto.WatchRequest.newBuilder().setType("Error").build())
                        .hasNext());

    assertThat(selector.getStatus().getDescription()).startsWith("label_selector: ");
    assertThat(type.getStatus().getDescription())
        .isEqualTo("type: must be \"Normal\" or \"Warning\", was \"Error\"");
  }

  List<String> watched(AgentProto.WatchRequest.Builder request) {
    List<String> out = new ArrayList<>();
    api.watch(request.setHistory(100).build())
        .forEachRemaining(
            e -> out.add(e.getService() + "/" + e.getComponent() + "/" + e.getReason()));
    return out;
  }

  @Test
  void aWatchSendsOnlyTheEventsThatPassEveryFilter() {
    creations = new CountDownLatch(1); // no workload: only the events recorded here
    apply(labelled("shop", "tier", "web"), labelled("db", "tier", "db"));
    var events = registry.events();
    events.record("shop", "web", ServiceEvent.Type.WARNING, "BackOff", "one");
    events.record("shop", null, ServiceEvent.Type.NORMAL, "Declared", "two");
    events.record("db", "web", ServiceEvent.Type.WARNING, "BackOff", "three");
    events.record("db", "web", ServiceEvent.Type.WARNING, "Unhealthy", "four");

    assertThat(watched(AgentProto.WatchRequest.newBuilder().setLabelSelector("tier=web")))
        .containsExactly("shop/web/BackOff", "shop//Declared");
    assertThat(watched(AgentProto.WatchRequest.newBuilder().setType("Normal")))
        .containsExactly("shop//Declared");
    assertThat(watched(AgentProto.WatchRequest.newBuilder().addReasons("BackOff")))
        .containsExactly("shop/web/BackOff", "db/web/BackOff");
    assertThat(
            watched(
                AgentProto.WatchRequest.newBuilder()
                    .setComponent("web")
                    .setLabelSelector("tier=db")
                    .addReasons("Unhealthy")
                    .addReasons("Declared")))
        .containsExactly("db/web/Unhealthy");
  }

  @Test
  void theHistoryOfAFilteredWatchCountsOnlyMatchingEvents() {
    creations = new CountDownLatch(1);
    apply(labelled("shop", "tier", "web"));
    var events = registry.events();
    events.record("shop", "web", ServiceEvent.Type.WARNING, "BackOff", "old");
    for (int i = 0; i < 5; i++) {
      events.record("shop", "web", ServiceEvent.Type.NORMAL, "Started", "n" + i);
    }

    List<String> messages = new ArrayList<>();
    api.watch(AgentProto.WatchRequest.newBuilder().setType("Warning").setHistory(1).build())
        .forEachRemaining(e -> messages.add(e.getMessage()));

    assertThat(messages).containsExactly("old");
  }

  @Test
  void aFollowedWatchSendsOnlyNewEventsThatPassTheFilters() {
    creations = new CountDownLatch(1);
    apply(labelled("shop", "tier", "web"), labelled("db", "tier", "db"));
    var events = registry.events();
    events.record("db", null, ServiceEvent.Type.NORMAL, "Picked", "before the watch");
    Iterator<AgentProto.Event> stream =
        api.withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS)
            .watch(
                AgentProto.WatchRequest.newBuilder()
                    .setLabelSelector("tier=db")
                    .addReasons("Picked")
                    .setHistory(1)
                    .setFollow(true)
                    .build());
    // The history is read after the watch subscribed: what is recorded from now on is followed.
    assertThat(stream.next().getMessage()).isEqualTo("before the watch");

    events.record("shop", null, ServiceEvent.Type.NORMAL, "Picked", "not this service");
    events.record("db", null, ServiceEvent.Type.NORMAL, "Other", "not this reason");
    events.record("db", null, ServiceEvent.Type.NORMAL, "Picked", "this one");

    assertThat(stream.next().getMessage()).isEqualTo("this one");
  }
}
