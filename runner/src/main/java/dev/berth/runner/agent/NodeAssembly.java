package dev.berth.runner.agent;

import dev.berth.probe.grpc.GrpcHealthProber;
import dev.berth.reconcilers.cert.CertificateReconciler;
import dev.berth.reconcilers.cert.SecureFiles;
import dev.berth.reconcilers.cert.local.LocalCaIssuer;
import dev.berth.reconcilers.metrics.TimedRuntime;
import dev.berth.reconcilers.node.BerthNode;
import dev.berth.reconcilers.probe.StandardProber;
import dev.berth.reconcilers.route.nginx.NginxConfig;
import dev.berth.reconcilers.route.nginx.NginxRegistrar;
import dev.berth.reconcilers.secret.SecretFiles;
import dev.berth.runner.config.AcmeSetup;
import dev.berth.runner.config.AgentConfig;
import dev.berth.runner.config.ConfigException;
import dev.berth.runner.config.RoutesConfig;
import dev.berth.runner.config.RuntimeName;
import dev.berth.runtime.WorkloadRuntime;
import dev.berth.runtime.merged.MergedRuntime;
import dev.berth.runtime.process.ProcessLimits;
import dev.berth.spec.model.ProbeType;
import dev.berth.spec.validation.Rules;
import dev.berth.spec.validation.Violation;
import dev.berth.store.registry.Registry;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The parts of a node, made from an {@link AgentConfig}: the runtimes (merged into one), the route
 * registrar (nginx), the certificate issuers and the boot stages' prober; and, from those and a
 * registry, the {@link BerthNode}.
 *
 * <p>Life cycle: {@link #assemble}, {@link #build}, {@code node.start()}; at the end {@code
 * node.stop(...)} first, then {@link #close()}. Closing releases what the assembly opened (the
 * runtimes' background threads and event streams, the ACME challenge server, the prober's
 * channels). Workloads keep running, and so does nginx unless {@code routes.stop_nginx_on_exit} is
 * set: a restarted agent adopts both, and routes are served all the while.
 */
public final class NodeAssembly implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(NodeAssembly.class.getName());

  private final AgentConfig config;
  private final MeterRegistry meters;
  private final List<WorkloadRuntime> runtimes;
  private final MergedRuntime runtime;
  private final NginxRegistrar nginx;
  private final CertificateIssuers issuers;
  private final StandardProber prober;

  private NodeAssembly(
      AgentConfig config,
      MeterRegistry meters,
      List<WorkloadRuntime> runtimes,
      NginxRegistrar nginx,
      CertificateIssuers issuers,
      StandardProber prober) {
    this.config = config;
    this.meters = meters;
    this.runtimes = List.copyOf(runtimes);
    // Each runtime timed apart, so that the latency metrics name the one that did the work.
    this.runtime =
        new MergedRuntime(runtimes.stream().map(r -> TimedRuntime.of(r, meters)).toList());
    this.nginx = nginx;
    this.issuers = issuers;
    this.prober = prober;
  }

  /**
   * Checks what the node needs from the machine (the runtimes' and nginx's programs), and nothing
   * else: no file is written, nothing started.
   *
   * @return the runtimes to make, in order
   * @throws ConfigException naming the key of every part the machine cannot give, in the
   *     configuration file's name
   */
  public static List<RuntimeName> check(AgentConfig config) {
    List<Violation> errors = new ArrayList<>();
    List<RuntimeName> names = RuntimeSelection.select(config.runtimes(), errors);
    RoutesConfig routes = config.routes();
    String nginx = routes.nginx().binary();
    if (routes.enabled() && Executables.find(nginx).isEmpty()) {
      errors.add(
          new Violation(
              "routes.nginx",
              "routes are enabled but nginx "
                  + Rules.quote(nginx)
                  + " "
                  + Executables.whereLooked(nginx)
                  + " (install nginx, set routes.nginx to its path, or set routes.enabled = false)"));
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(config.source(), errors);
    }
    return names;
  }

  /**
   * Checks the machine ({@link #check}), creates the data directory, and makes the parts. Nothing
   * is started: nginx starts with the first routes.
   *
   * @param meters where the loops' metrics go; null for none
   * @throws ConfigException naming the key of every part that cannot be made (a program that is not
   *     installed, a challenge port in use), in the configuration file's name
   */
  public static NodeAssembly assemble(AgentConfig config, MeterRegistry meters) {
    return assemble(config, meters, processLimits(config, check(config)));
  }

  /**
   * How this node limits processes, when the process runtime is enabled: read from {@code /proc},
   * nothing written. The agent tells validation what it found (a limit the node cannot enforce is
   * refused at apply) and gives it to the process runtime, so that both say the same.
   */
  public static Optional<ProcessLimits> processLimits(
      AgentConfig config, List<RuntimeName> runtimes) {
    return runtimes.contains(RuntimeName.PROCESS)
        ? Optional.of(ProcessLimits.detect(config.runtimes().process().stateRoot()))
        : Optional.empty();
  }

  /**
   * As {@link #assemble(AgentConfig, MeterRegistry)}, the process runtime limiting processes as
   * {@code processLimits} says (see {@link #processLimits}).
   */
  public static NodeAssembly assemble(
      AgentConfig config, MeterRegistry meters, Optional<ProcessLimits> processLimits) {
    List<RuntimeName> names = check(config);
    createDataDir(config);
    createSecretsDir(config);
    RoutesConfig routes = config.routes();
    List<WorkloadRuntime> runtimes = new ArrayList<>();
    CertificateIssuers issuers = null;
    try {
      for (RuntimeName name : names) {
        runtimes.add(RuntimeFactory.create(name, config, processLimits));
      }
      issuers = CertificateIssuers.create(config);
      NginxRegistrar nginx = routes.enabled() ? new NginxRegistrar(nginxConfig(config)) : null;
      // Always: besides the boot stages' probes, it probes VMs' declared health (their readiness).
      // gRPC health probes come from their own module, which the agent always has.
      StandardProber prober = new StandardProber().with(ProbeType.GRPC, new GrpcHealthProber());
      return new NodeAssembly(config, meters, runtimes, nginx, issuers, prober);
    } catch (RuntimeException e) {
      runtimes.forEach(WorkloadRuntime::close);
      if (issuers != null) {
        issuers.close();
      }
      throw e;
    }
  }

  /** Every enabled runtime, merged: each kind of workload goes to the runtime that runs it. */
  public WorkloadRuntime runtime() {
    return runtime;
  }

  /** The enabled runtimes, in order. */
  public List<WorkloadRuntime> runtimes() {
    return runtimes;
  }

  /** The enabled runtimes' names, in order: {@code [process, podman]}. */
  public List<String> runtimeNames() {
    return runtimes.stream().map(WorkloadRuntime::name).toList();
  }

  /** The node's proxy, when routes are enabled. */
  public Optional<NginxRegistrar> routeRegistrar() {
    return Optional.ofNullable(nginx);
  }

  /** The local CA, when enabled; clients trust its {@code caCertificateFile()}. */
  public Optional<LocalCaIssuer> localCa() {
    return Optional.ofNullable(issuers.localCa());
  }

  /**
   * The node's loops over {@code registry}, with every part configured. Not started. Build one node
   * per assembly: the parts (nginx's configuration above all) have one owner.
   */
  public BerthNode build(Registry registry) {
    BerthNode.Builder node =
        BerthNode.builder(registry, runtime)
            .workers(config.reconcile().workers())
            .resyncPeriod(config.reconcile().resyncPeriod())
            .relistPeriod(config.reconcile().relistPeriod())
            .portRange(config.ports())
            .meterRegistry(meters);
    if (nginx != null) {
      node.routeRegistrar(nginx);
    }
    CertificateReconciler certificates = issuers.reconciler(registry);
    if (certificates != null) {
      node.certificates(certificates);
    }
    node.readinessProber(prober);
    node.secrets(SecretFiles.in(config.secretsDir()));
    if (!config.stages().isEmpty()) {
      node.stages(config.stages(), prober);
    }
    return node.build();
  }

  /**
   * Releases what {@link #assemble} opened; stop the node first. nginx is stopped only with {@code
   * routes.stop_nginx_on_exit}: otherwise it keeps serving the last routes, and the next agent
   * finds it through its pid file and reloads it.
   */
  @Override
  public void close() {
    prober.close();
    issuers.close();
    if (nginx != null && config.routes().stopNginxOnExit()) {
      try {
        nginx.stop();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "stopping nginx failed: " + e.getMessage(), e);
      }
    }
    runtime.close();
  }

  /**
   * {@code [routes]}, serving ACME's http-01 challenges when {@code [certificates.acme]} is set.
   */
  private static NginxConfig nginxConfig(AgentConfig config) {
    AcmeSetup acme = config.certificates().acme();
    NginxConfig nginx = config.routes().nginx();
    return acme == null ? nginx : nginx.toBuilder().acmeChallenge(acme.challenge()).build();
  }

  /**
   * Creates the secrets directory if it is missing, mode 0700, so that the operator finds where
   * secret files go, private from the start. An existing one is left as it is: its files are
   * checked one by one when they are read.
   */
  static void createSecretsDir(AgentConfig config) {
    try {
      SecureFiles.createPrivateDirectories(config.secretsDir());
    } catch (IOException e) {
      throw new ConfigException(
          config.source(),
          List.of(
              new Violation(
                  "secrets.dir",
                  "cannot create " + Rules.quote(config.secretsDir().toString()) + ": " + e)));
    }
  }

  /**
   * Creates the data directory if it is missing, mode 0711: the owner's, and traversable (not
   * listable) by others, because nginx's workers run as {@code nobody} and reach their files under
   * it by name ({@link dev.berth.runner.config.PrivatePaths}).
   */
  static void createDataDir(AgentConfig config) {
    try {
      Path dir = config.dataDir().toAbsolutePath();
      if (!Files.isDirectory(dir)) {
        if (dir.getParent() != null) {
          Files.createDirectories(dir.getParent());
        }
        Files.createDirectory(dir);
        // Set after creating: the umask would take bits from a mode given at creation.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
      }
    } catch (IOException e) {
      throw new ConfigException(
          config.source(),
          List.of(
              new Violation(
                  "data_dir",
                  "cannot create " + Rules.quote(config.dataDir().toString()) + ": " + e)));
    }
  }
}
