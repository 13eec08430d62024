package dev.berth.runner.agent;

import dev.berth.reconcilers.node.BerthNode;
import dev.berth.runner.BerthVersion;
import dev.berth.runner.api.AgentApi;
import dev.berth.runner.api.GrpcServerMetrics;
import dev.berth.runner.api.NodeInfo;
import dev.berth.runner.config.AgentConfig;
import dev.berth.runner.config.ApiConfig;
import dev.berth.runner.config.ConfigException;
import dev.berth.runner.config.PrivatePaths;
import dev.berth.runner.config.RuntimeName;
import dev.berth.runner.config.TlsConfig;
import dev.berth.runner.http.AdminServer;
import dev.berth.runner.http.HealthReport;
import dev.berth.runner.security.ApiServers;
import dev.berth.runner.security.ListenSettings;
import dev.berth.runner.security.TcpSettings;
import dev.berth.runner.security.TlsSettings;
import dev.berth.runner.security.TokenFile;
import dev.berth.runtime.process.ProcessLimits;
import dev.berth.spec.validation.ProcessLimitSupport;
import dev.berth.spec.validation.Violation;
import dev.berth.store.registry.Registry;
import dev.berth.store.registry.RegistryException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.auth.x500.X500Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent: the registry, the node's loops, the API on its listeners, and the admin HTTP
 * endpoints, started in that order and stopped in the reverse. Wiring only.
 *
 * <p>Stopping the agent stops Berth, not the services: workloads keep running (and nginx keeps
 * serving), and the next agent finds them by their labels.
 */
public final class Agent implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

  /** Calls still open this long after a stop is asked for are cut (a followed log, a watch). */
  static final Duration API_GRACE = Duration.ofSeconds(5);

  /** Reconciles in flight get this long to finish when the agent stops. */
  static final Duration LOOPS_GRACE = Duration.ofSeconds(10);

  private final List<AutoCloseable> opened;
  private final ApiServers api;
  private final AdminServer admin;
  private final Optional<SystemdNotify> systemd;

  private Agent(
      List<AutoCloseable> opened,
      ApiServers api,
      AdminServer admin,
      Optional<SystemdNotify> systemd) {
    this.opened = opened;
    this.api = api;
    this.admin = admin;
    this.systemd = systemd;
  }

  /**
   * Before anything starts: what a root agent refuses to trust ({@link PrivatePaths}), and the
   * token file read as the API will read it, so that a token the API would refuse stops the agent
   * before any loop runs rather than after.
   */
  private static void checkPrivatePaths(AgentConfig config) {
    List<Violation> errors =
        new ArrayList<>(PrivatePaths.check(config, PrivatePaths.runningAsRoot()));
    Path tokenFile = config.api().tokenFile();
    if (tokenFile != null && errors.isEmpty()) {
      try {
        TokenFile.readProtected(tokenFile);
      } catch (IOException e) {
        errors.add(new Violation("api.token_file", e.getMessage()));
      }
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(config.source(), errors);
    }
  }

  /**
   * Starts an agent as configured. On failure, whatever was started is stopped again and the cause
   * is thrown: a {@link dev.berth.runner.config.ConfigException} for what the configuration asks
   * and the machine cannot give, an {@link IOException} for a listener that cannot bind.
   */
  public static Agent start(AgentConfig config, boolean insecureListen) throws IOException {
    long began = System.nanoTime();
    Instant startedAt = Instant.now();
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      checkPrivatePaths(config);
      List<RuntimeName> runtimes = NodeAssembly.check(config);
      NodeAssembly.createDataDir(config);
      Optional<ProcessLimits> processLimits = NodeAssembly.processLimits(config, runtimes);
      // The registry's lock first: a second agent on the same data directory must be refused before
      // anything with a side effect runs (runtimes adopting workloads, nginx, a challenge port), or
      // its failed start would undo the live agent's (quitting its nginx, say).
      Registry registry =
          openRegistry(
              config,
              processLimits.map(ProcessLimits::support).orElse(ProcessLimitSupport.UNKNOWN));
      opened.add(registry);
      PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      bindJvmMetrics(meters);
      NodeAssembly assembly = NodeAssembly.assemble(config, meters, processLimits);
      opened.add(assembly);
      BerthNode node = assembly.build(registry);
      node.start();
      opened.add(() -> node.stop(LOOPS_GRACE));
      ExecutorService streams = Executors.newCachedThreadPool(daemonThreads("berth-api-stream"));
      opened.add(streams::shutdownNow);

      NodeInfo info =
          new NodeInfo(
              BerthVersion.current(),
              config.node(),
              startedAt,
              assembly.runtimes().stream()
                  .map(r -> new NodeInfo.RuntimeDescription(r.name(), r.kinds()))
                  .toList());
      HealthStatusManager health = new HealthStatusManager();
      ApiServers api =
          ApiServers.builder(listenSettings(config.api(), insecureListen))
              .addService(
                  new AgentApi(
                          registry,
                          node,
                          assembly.runtime(),
                          () -> info,
                          config.stages().stream()
                              .map(s -> new AgentApi.StageDescription(s.name(), s.services()))
                              .toList(),
                          streams)
                      .serviceDefinition())
              .addService(health.getHealthService())
              .addService(ProtoReflectionServiceV1.newInstance())
              .intercept(new GrpcServerMetrics(meters))
              .start();
      opened.add(() -> api.shutdown(API_GRACE));
      health.setStatus("", ServingStatus.SERVING);
      health.setStatus("berth.v1.AgentService", ServingStatus.SERVING);
      opened.add(health::enterTerminalState);

      AdminServer admin = null;
      if (config.metrics().listen() != null) {
        admin =
            AdminServer.start(
                config.metrics().listen().toSocketAddress(),
                meters,
                () -> health(node),
                () ->
                    node.ready()
                        ? HealthReport.ok()
                        : HealthReport.failing(
                            "the loops have not reconciled everything once yet"));
        opened.add(admin);
      }
      LOG.atInfo()
          .setMessage("berth agent started")
          .addKeyValue("version", info.version())
          .addKeyValue("node", info.node())
          .addKeyValue("config", config.source())
          .addKeyValue("data", config.dataDir())
          .addKeyValue("socket", api.socket().map(Object::toString).orElse("none"))
          .addKeyValue("tcp", api.tcpAddress().map(Object::toString).orElse("none"))
          .addKeyValue("metrics", admin == null ? "none" : "127.0.0.1:" + admin.port())
          .addKeyValue("runtimes", String.join(",", assembly.runtimeNames()))
          .addKeyValue("process_limits", processLimits.map(ProcessLimits::describe).orElse("none"))
          .addKeyValue("services", registry.services().names().size())
          .addKeyValue("ms", (System.nanoTime() - began) / 1_000_000)
          .log();
      LOG.debug("effective configuration:\n{}", config.describe());
      // Only now, with every listener up: under Type=notify, systemctl start returns on this.
      Optional<SystemdNotify> systemd = SystemdNotify.fromEnvironment(System.getenv());
      systemd.ifPresent(notify -> notify.ready(serving(api)));
      return new Agent(opened, api, admin, systemd);
    } catch (IOException | RuntimeException e) {
      closeAll(opened);
      throw e;
    }
  }

  /** The status line systemctl status shows while the agent serves. */
  private static String serving(ApiServers api) {
    List<String> on = new ArrayList<>();
    api.socket().ifPresent(socket -> on.add(socket.toString()));
    api.tcpAddress().ifPresent(address -> on.add(address.toString()));
    return on.isEmpty() ? "serving" : "serving the API on " + String.join(" and ", on);
  }

  private static Registry openRegistry(AgentConfig config, ProcessLimitSupport processLimits) {
    try {
      Registry registry = Registry.open(config.registry(processLimits));
      registry
          .rewriteAtOpen()
          .ifPresent(
              rewrite ->
                  LOG.warn(
                      "the agent before this one stopped without closing the registry (kill -9,"
                          + " crash or power loss); kept what H2 recovered and rewrote the file"
                          + " ({} -> {} bytes, {} ms)",
                      rewrite.bytesBefore(),
                      rewrite.bytesAfter(),
                      rewrite.took().toMillis()));
      return registry;
    } catch (RegistryException e) {
      if (String.valueOf(e.getMessage()).contains("locked")) {
        // H2 locks the file for its one writer: the likeliest holder is a running agent.
        throw new RegistryException(
            e.getMessage() + " (is another agent running on " + config.dataDir() + "?)", e);
      }
      throw e;
    }
  }

  /** Blocks until the API servers stop (after {@link #close()} from a shutdown hook). */
  public void awaitTermination() throws InterruptedException {
    api.awaitTermination();
  }

  /** The admin HTTP server's port, if it runs. */
  public java.util.Optional<Integer> adminPort() {
    return java.util.Optional.ofNullable(admin).map(AdminServer::port);
  }

  /** Stops the API, the loops and the registry; workloads keep running. */
  @Override
  public synchronized void close() {
    LOG.info("berth agent stopping; services keep running");
    if (!opened.isEmpty()) {
      systemd.ifPresent(notify -> notify.stopping("stopping; services keep running"));
    }
    closeAll(opened);
    opened.clear();
    LOG.info("berth agent stopped");
  }

  private static void closeAll(List<AutoCloseable> opened) {
    for (int i = opened.size() - 1; i >= 0; i--) {
      try {
        opened.get(i).close();
      } catch (Exception e) {
        LOG.warn("stopping part of the agent failed: {}", e.toString());
      }
    }
  }

  static ListenSettings listenSettings(ApiConfig api, boolean insecureListen) {
    TcpSettings tcp = null;
    if (api.tcp() != null) {
      tcp =
          api.tls() != null
              ? TcpSettings.mutualTls(api.tcp().toSocketAddress(), tlsSettings(api.tls()))
              : insecureListen ? TcpSettings.insecure(api.tcp().toSocketAddress()) : null;
      if (tcp == null) {
        throw new IllegalArgumentException(
            "api.tcp needs [api.tls], or the agent must be started with --insecure-listen");
      }
    }
    return new ListenSettings(api.socket(), tcp, api.tokenFile());
  }

  private static TlsSettings tlsSettings(TlsConfig tls) {
    return new TlsSettings(
        tls.certFile(),
        tls.keyFile(),
        tls.clientCaFile(),
        tls.allowedSubjects().stream().map(X500Principal::getName).toList());
  }

  /** Failing while a loop does not run or the proxy is down, with why. */
  private static HealthReport health(BerthNode node) {
    List<String> faults = node.faults();
    return faults.isEmpty() ? HealthReport.ok() : HealthReport.failing(String.join("; ", faults));
  }

  private static void bindJvmMetrics(PrometheusMeterRegistry meters) {
    new JvmMemoryMetrics().bindTo(meters);
    new JvmThreadMetrics().bindTo(meters);
    new ClassLoaderMetrics().bindTo(meters);
    new ProcessorMetrics().bindTo(meters);
    new UptimeMetrics().bindTo(meters);
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
