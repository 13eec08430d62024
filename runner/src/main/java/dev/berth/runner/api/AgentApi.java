package dev.berth.runner.api;

import dev.berth.proto.v1.AgentProto;
import dev.berth.proto.v1.AgentServiceGrpc;
import dev.berth.reconcilers.describe.NodeSummary;
import dev.berth.reconcilers.node.BerthNode;
import dev.berth.runtime.Workload;
import dev.berth.runtime.WorkloadRuntime;
import dev.berth.spec.model.DesiredState;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.selector.LabelSelector;
import dev.berth.spec.validation.Violation;
import dev.berth.store.registry.ApplyRequest;
import dev.berth.store.registry.ApplyResult;
import dev.berth.store.registry.ChangeKind;
import dev.berth.store.registry.HistoryEntry;
import dev.berth.store.registry.IgnoredWorkload;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.ServiceChange;
import dev.berth.store.registry.ServiceEvent;
import dev.berth.store.registry.StoredService;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code berth.v1.AgentService}: every call reads from or writes to the registry, then tells the
 * loops which service to look at. Nothing here acts on the node directly but {@code
 * RestartService}, which is an operator's request rather than a declaration.
 */
public final class AgentApi extends AgentServiceGrpc.AgentServiceImplBase {

  private static final Logger LOG = LoggerFactory.getLogger(AgentApi.class);

  /** Events shown with one service when the request does not say. */
  static final int DEFAULT_EVENTS = 10;

  /** Log lines sent when the request does not say, as {@code kubectl logs --tail} users expect. */
  static final int DEFAULT_TAIL = 100;

  /** The source recorded for an apply whose request names none. */
  static final String DEFAULT_SOURCE = "api";

  private final Registry registry;
  private final BerthNode node;
  private final WorkloadRuntime runtime;
  private final Supplier<NodeInfo> info;
  private final List<StageDescription> stages;
  private final ServiceViews views;
  private final LogStreams logs;
  private final EventWatch watches;

  /**
   * @param streams runs log readers and event senders: one thread per open stream
   * @param stages the boot stages as configured, to name their services in {@code NodeStatus}
   */
  public AgentApi(
      Registry registry,
      BerthNode node,
      WorkloadRuntime runtime,
      Supplier<NodeInfo> info,
      List<StageDescription> stages,
      ExecutorService streams) {
    this.registry = registry;
    this.node = node;
    this.runtime = runtime;
    this.info = info;
    this.stages = List.copyOf(stages);
    this.views = new ServiceViews(kind -> info.get().runtimeOf(kind));
    this.logs = new LogStreams(runtime, streams);
    this.watches = new EventWatch(registry.events(), streams);
  }

  /** A configured boot stage, by name, with its services. */
  public record StageDescription(String name, List<String> services) {
    public StageDescription {
      services = List.copyOf(services);
    }
  }

  @Override
  public void apply(AgentProto.ApplyRequest request, StreamObserver<AgentProto.ApplyResponse> out) {
    call(
        out,
        () -> {
          List<Violation> violations = new ArrayList<>(ApplyChecks.request(request));
          ApplyChecks checks = new ApplyChecks(info.get().node());
          List<ServiceSpec> specs = new ArrayList<>();
          for (int i = 0; i < request.getServicesCount(); i++) {
            var spec = request.getServices(i);
            // By name when it is one (short and plain), else by index: never echoed whole.
            String path =
                "services["
                    + (ApplyChecks.isServiceName(spec.getName())
                        ? spec.getName()
                        : String.valueOf(i))
                    + "]";
            var translated = ProtoSpecs.fromProto(spec, path, violations);
            if (translated != null) {
              specs.add(translated);
              violations.addAll(checks.service(translated, path));
            }
          }
          if (!violations.isEmpty()) {
            throw ApiErrors.invalid(violations);
          }
          String source = request.getSource().isEmpty() ? DEFAULT_SOURCE : request.getSource();
          var applying =
              ApplyRequest.of(source, specs)
                  .withPrune(request.getPrune())
                  .withDryRun(request.getDryRun())
                  .withTakeOver(request.getTakeOver());
          for (var expected : request.getExpectedGenerationsMap().entrySet()) {
            applying = applying.expecting(expected.getKey(), expected.getValue());
          }
          ApplyResult result = registry.services().apply(applying);
          AgentProto.ApplyResponse.Builder response =
              AgentProto.ApplyResponse.newBuilder().setDryRun(result.dryRun());
          for (var change : result.changes()) {
            response.addChanges(change(change));
          }
          if (!result.dryRun()) {
            LOG.atInfo()
                .addKeyValue("source", source)
                .addKeyValue("services", specs.size())
                .addKeyValue("prune", request.getPrune())
                .log("applied");
          }
          return response.build();
        });
  }

  static AgentProto.ServiceChange change(ServiceChange change) {
    AgentProto.ServiceChange.Builder out =
        AgentProto.ServiceChange.newBuilder()
            .setService(change.service())
            .setKind(AgentProto.ServiceChange.Kind.valueOf(change.kind().name()))
            .setGeneration(change.generation())
            .setPreviousSource(ServiceViews.orEmpty(change.previousSource()));
    for (var field : change.diff()) {
      out.addDiff(ServiceViews.fieldChange(field));
    }
    return out.build();
  }

  @Override
  public void getService(
      AgentProto.GetServiceRequest request, StreamObserver<AgentProto.Service> out) {
    call(
        out,
        () ->
            views.view(
                node.describe(
                    stored(request.getName()),
                    request.getEvents() > 0 ? request.getEvents() : DEFAULT_EVENTS)));
  }

  @Override
  public void listServices(
      AgentProto.ListServicesRequest request, StreamObserver<AgentProto.ListServicesResponse> out) {
    call(
        out,
        () -> {
          LabelSelector selector = selector(request.getLabelSelector());
          return AgentProto.ListServicesResponse.newBuilder()
              .addAllServices(
                  node
                      .describeAll(
                          Math.max(0, request.getEvents()),
                          stored -> selector.matches(stored.spec().labels()))
                      .stream()
                      .map(views::view)
                      .toList())
              .build();
        });
  }

  @Override
  public void stopService(
      AgentProto.ServiceRequest request, StreamObserver<AgentProto.Service> out) {
    call(out, () -> setDesiredState(request, DesiredState.STOPPED));
  }

  @Override
  public void startService(
      AgentProto.ServiceRequest request, StreamObserver<AgentProto.Service> out) {
    call(out, () -> setDesiredState(request, DesiredState.RUNNING));
  }

  private AgentProto.Service setDesiredState(
      AgentProto.ServiceRequest request, DesiredState state) {
    String name = requireName(request.getName());
    StoredService stored = registry.services().setDesiredState(name, state, expected(request));
    LOG.atInfo().addKeyValue("service", name).addKeyValue("state", state.wire()).log("declared");
    return views.view(node.describe(stored, DEFAULT_EVENTS));
  }

  @Override
  public void restartService(
      AgentProto.ServiceRequest request, StreamObserver<AgentProto.Service> out) {
    call(
        out,
        () -> {
          Long expected = expected(request);
          StoredService stored = stored(request.getName());
          if (expected != null && stored.generation() != expected) {
            throw io.grpc.Status.ABORTED
                .withDescription(
                    request.getName()
                        + " is at generation "
                        + stored.generation()
                        + ", not "
                        + request.getExpectedGeneration())
                .asRuntimeException();
          }
          if (stored.spec().desiredState() == DesiredState.STOPPED) {
            throw ApiErrors.failedPrecondition(
                request.getName() + " is declared stopped; start it instead");
          }
          int restarted = awaitRestart(stored.name());
          LOG.atInfo()
              .addKeyValue("service", stored.name())
              .addKeyValue("workloads", restarted)
              .log("restarted");
          return views.view(node.describe(stored, DEFAULT_EVENTS));
        });
  }

  /**
   * Long enough for every component's graceful stop; a client that gives up sooner just stops
   * waiting (the restart goes on).
   */
  static final java.time.Duration RESTART_WAIT = java.time.Duration.ofMinutes(2);

  private int awaitRestart(String service) {
    try {
      return node.restart(service)
          .get(RESTART_WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw ApiErrors.of(e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw io.grpc.Status.DEADLINE_EXCEEDED
          .withDescription(
              "the restart of "
                  + service
                  + " is still going on after "
                  + RESTART_WAIT.toSeconds()
                  + " s")
          .asRuntimeException();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw io.grpc.Status.CANCELLED.withDescription("the agent is stopping").asRuntimeException();
    }
  }

  @Override
  public void deleteService(
      AgentProto.ServiceRequest request, StreamObserver<AgentProto.DeleteServiceResponse> out) {
    call(
        out,
        () -> {
          String name = requireName(request.getName());
          if (!registry.services().delete(name, expected(request))) {
            throw ApiErrors.notFound(name);
          }
          LOG.atInfo().addKeyValue("service", name).log("deleted");
          return AgentProto.DeleteServiceResponse.newBuilder().setName(name).build();
        });
  }

  @Override
  public void history(
      AgentProto.HistoryRequest request, StreamObserver<AgentProto.HistoryResponse> out) {
    call(
        out,
        () -> {
          StoredService stored = stored(request.getService());
          return HistoryViews.history(
              stored,
              registry.services().history(stored.name()),
              registry.services().historyLimit());
        });
  }

  @Override
  public void rollback(
      AgentProto.RollbackRequest request, StreamObserver<AgentProto.RollbackResponse> out) {
    call(
        out,
        () -> {
          String name = requireName(request.getService());
          Long expected = expected(request.getExpectedGeneration());
          if (request.getToGeneration() < 0) {
            throw ApiErrors.invalidArgument(
                "to_generation: must be 0 (the entry before the newest) or more, was "
                    + request.getToGeneration());
          }
          String badSource = ApplyChecks.source(request.getSource());
          if (badSource != null) {
            throw ApiErrors.invalidArgument("source: " + badSource);
          }
          String by = request.getSource().isEmpty() ? DEFAULT_SOURCE : request.getSource();
          StoredService stored = stored(name);
          List<HistoryEntry> entries = registry.services().history(stored.name());
          long to = request.getToGeneration();
          if (to == 0 && entries.size() >= 2) {
            to = entries.get(entries.size() - 2).generation();
          }
          // What only the node can tell, as for an apply: the spec may name an executable that is
          // gone since it was declared. (The store says what it does not keep.)
          long wanted = to;
          for (HistoryEntry entry : entries) {
            if (entry.generation() == wanted) {
              List<Violation> violations =
                  new ApplyChecks(info.get().node())
                      .service(entry.spec(), "history[" + wanted + "]");
              if (!violations.isEmpty()) {
                throw ApiErrors.invalid(violations);
              }
            }
          }
          ApplyResult result = registry.services().rollback(name, to, expected, by);
          ServiceChange change = result.of(name);
          if (change.kind() == ChangeKind.UPDATED) {
            // A declaration that did not come from the service's own source: never a silent one.
            registry
                .events()
                .record(
                    name,
                    null,
                    ServiceEvent.Type.NORMAL,
                    "RolledBack",
                    "declared the spec of generation "
                        + to
                        + " again as generation "
                        + change.generation()
                        + " (rollback by "
                        + by
                        + ")");
          }
          LOG.atInfo()
              .addKeyValue("service", name)
              .addKeyValue("to", to)
              .addKeyValue("generation", change.generation())
              .addKeyValue("by", by)
              .log("rolled back");
          return AgentProto.RollbackResponse.newBuilder()
              .setChange(change(change))
              .setRolledBackTo(to)
              .build();
        });
  }

  @Override
  public void logs(AgentProto.LogsRequest request, StreamObserver<AgentProto.LogLine> out) {
    try {
      StoredService stored = stored(request.getService());
      String component = request.getComponent();
      if (!component.isEmpty()
          && stored.spec().components().stream().noneMatch(c -> c.name().equals(component))) {
        throw ApiErrors.notFound(stored.name() + "/" + ApplyChecks.shown(component));
      }
      List<Workload> workloads =
          node.cache().workloadsOf(stored.name()).stream()
              .filter(w -> component.isEmpty() || component.equals(w.component()))
              .sorted(Comparator.comparing(Workload::component))
              .toList();
      if (workloads.isEmpty()) {
        throw ApiErrors.failedPrecondition(
            "no workload of "
                + stored.name()
                + (component.isEmpty() ? "" : "/" + component)
                + " is on the node yet; see `berth status "
                + stored.name()
                + "`");
      }
      int tail =
          request.getTail() == 0
              ? DEFAULT_TAIL
              : request.getTail() < 0 ? Integer.MAX_VALUE : request.getTail();
      LogStreams.Query query =
          new LogStreams.Query(
              tail,
              request.getFollow(),
              request.hasSince() ? ServiceViews.instant(request.getSince()) : null,
              request.getTimestamps());
      if (query.timed()) {
        for (Workload workload : workloads) {
          if (!runtime.keepsLogTimes(workload.id())) {
            throw ApiErrors.failedPrecondition(
                stored.name()
                    + "/"
                    + workload.component()
                    + " runs on a runtime that keeps no time for its log lines (the process and"
                    + " unikernel runtimes keep the output as it was written): since and"
                    + " timestamps need one that does (podman)");
          }
        }
      }
      logs.stream(workloads, query, (ServerCallStreamObserver<AgentProto.LogLine>) out);
    } catch (RuntimeException e) {
      out.onError(ApiErrors.of(e));
    }
  }

  @Override
  public void watch(AgentProto.WatchRequest request, StreamObserver<AgentProto.Event> out) {
    try {
      if (!request.getService().isEmpty()) {
        stored(request.getService());
      }
      watches.watch(
          EventFilter.of(request, name -> registry.services().get(name).map(StoredService::spec)),
          request.getHistory(),
          request.getFollow(),
          (ServerCallStreamObserver<AgentProto.Event>) out);
    } catch (RuntimeException e) {
      out.onError(ApiErrors.of(e));
    }
  }

  @Override
  public void recover(
      AgentProto.RecoverRequest request, StreamObserver<AgentProto.RecoverResponse> out) {
    call(
        out,
        () -> {
          node.recover();
          int services = registry.services().names().size();
          LOG.atInfo().addKeyValue("services", services).log("recovering: every service queued");
          return AgentProto.RecoverResponse.newBuilder().setServices(services).build();
        });
  }

  @Override
  public void adoptRegistry(
      AgentProto.AdoptRegistryRequest request,
      StreamObserver<AgentProto.AdoptRegistryResponse> out) {
    call(
        out,
        () -> {
          String other = request.getRegistry();
          if (other.isEmpty()) {
            throw ApiErrors.invalidArgument("registry: must be given");
          }
          BerthNode.Adoption adoption;
          try {
            adoption = node.adopt(other);
          } catch (IllegalArgumentException e) {
            throw ApiErrors.invalidArgument(e.getMessage());
          }
          return AgentProto.AdoptRegistryResponse.newBuilder()
              .setAdopted(adoption.changed())
              .setWorkloads(adoption.workloads())
              .build();
        });
  }

  @Override
  public void nodeStatus(
      AgentProto.NodeStatusRequest request, StreamObserver<AgentProto.NodeStatusResponse> out) {
    call(out, this::nodeStatus);
  }

  private AgentProto.NodeStatusResponse nodeStatus() {
    NodeInfo about = info.get();
    NodeSummary summary = node.summary();
    AgentProto.NodeStatusResponse.Builder out =
        AgentProto.NodeStatusResponse.newBuilder()
            .setVersion(about.version())
            .setNode(about.node())
            .setStartedAt(ServiceViews.timestamp(about.startedAt()))
            .setReady(summary.ready())
            .setIgnoredWorkloads(summary.ignored().size())
            .setRegistry(summary.registryId());
    out.setHealthy(summary.healthy()).addAllFaults(summary.faults());
    for (IgnoredWorkload ignored : summary.ignored()) {
      out.addIgnored(
          dev.berth.proto.v1.AgentProto.IgnoredWorkload.newBuilder()
              .setRuntime(ignored.runtime())
              .setId(ignored.id())
              .setName(ServiceViews.orEmpty(ignored.name()))
              .setKind(ServiceViews.orEmpty(ignored.kind()))
              .setImage(ServiceViews.orEmpty(ignored.image()))
              .setState(ServiceViews.orEmpty(ignored.state()))
              .setOwnerRegistry(ServiceViews.orEmpty(ignored.ownerRegistry())));
    }
    for (var runtimeInfo : about.runtimes()) {
      out.addRuntimes(
          AgentProto.RuntimeInfo.newBuilder()
              .setName(runtimeInfo.name())
              .addAllKinds(
                  runtimeInfo.kinds().stream().map(k -> k.name().toLowerCase()).sorted().toList()));
    }
    out.setServices(summary.services())
        .setComponents(summary.components())
        .putAllComponentsByState(summary.componentsByState());
    Map<String, List<String>> stageServices = new TreeMap<>();
    stages.forEach(stage -> stageServices.put(stage.name(), stage.services()));
    for (var stage : summary.stages()) {
      out.addStages(
          AgentProto.BootStage.newBuilder()
              .setName(stage.name())
              .setPhase(stage.phase().name().toLowerCase())
              .setReason(stage.reason() == null ? "" : stage.reason())
              .addAllServices(stageServices.getOrDefault(stage.name(), List.of())));
    }
    for (var loop : summary.loops()) {
      out.addLoops(
          AgentProto.LoopHealth.newBuilder()
              .setName(loop.controller())
              .setHealthy(loop.healthy())
              .setDepth(loop.queueDepth())
              .setDetail(
                  String.format(
                      "%s, %d/%d workers, %d in flight, %d delayed, %d held, %d parked",
                      loop.ready() ? "ready" : "not ready yet",
                      loop.workersAlive(),
                      loop.workers(),
                      loop.inFlight(),
                      loop.delayedKeys(),
                      loop.heldKeys(),
                      loop.parkedKeys())));
    }
    return out.build();
  }

  @Override
  public void listRoutes(
      AgentProto.ListRoutesRequest request, StreamObserver<AgentProto.ListRoutesResponse> out) {
    call(out, () -> RouteViews.toProto(node.describeRoutes()));
  }

  /** The request's label selector, or INVALID_ARGUMENT naming {@code label_selector}. */
  private static LabelSelector selector(String text) {
    List<Violation> violations = new ArrayList<>();
    LabelSelector selector = EventFilter.selector(text, violations);
    if (!violations.isEmpty()) {
      throw ApiErrors.invalid(violations);
    }
    return selector;
  }

  private StoredService stored(String name) {
    return registry
        .services()
        .get(requireName(name))
        .orElseThrow(() -> ApiErrors.notFound(ApplyChecks.shown(name)));
  }

  private static String requireName(String name) {
    if (name.isEmpty()) {
      throw ApiErrors.invalidArgument("name: must not be empty");
    }
    if (!ApplyChecks.isServiceName(name)) {
      // No service can have it; answered here, so that the store never echoes it whole.
      throw ApiErrors.notFound(ApplyChecks.shown(name));
    }
    return name;
  }

  /** The generation the request expects, or null for none (0); negative is refused. */
  private static Long expected(AgentProto.ServiceRequest request) {
    return expected(request.getExpectedGeneration());
  }

  private static Long expected(long expected) {
    if (expected < 0) {
      throw ApiErrors.invalidArgument(
          "expected_generation: must be 0 (none) or more, was " + expected);
    }
    return expected > 0 ? expected : null;
  }

  @Override
  public void backup(AgentProto.BackupRequest request, StreamObserver<AgentProto.BackupChunk> out) {
    BackupStream.send(registry, (ServerCallStreamObserver<AgentProto.BackupChunk>) out);
  }

  /**
   * The service to serve: {@link #bindService()}, but requests that are not protobuf (or not UTF-8
   * where text is due) are INVALID_ARGUMENT rather than gRPC's UNKNOWN and a logged stack trace.
   */
  public io.grpc.ServerServiceDefinition serviceDefinition() {
    return MalformedRequests.refused(bindService());
  }

  /** Runs a unary call, answering with its result or the gRPC status of what it threw. */
  private static <T> void call(StreamObserver<T> out, Supplier<T> body) {
    T result;
    try {
      result = body.get();
    } catch (RuntimeException e) {
      out.onError(ApiErrors.of(e));
      return;
    }
    out.onNext(result);
    out.onCompleted();
  }
}
