package dev.berth.runner.config;

import dev.berth.reconcilers.port.PortRange;
import dev.berth.reconcilers.stage.BootStage;
import dev.berth.spec.validation.DefaultDomain;
import dev.berth.spec.validation.ProcessLimitSupport;
import dev.berth.spec.validation.ValidationPolicy;
import dev.berth.store.registry.RegistryConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The agent's configuration, as loaded by {@link AgentConfigLoader}: every default applied, every
 * path absolute, every value checked. The file format is described in {@code
 * docs/configuration.md}.
 *
 * @param source the file it was loaded from, as the operator named it, or {@link #DEFAULTS_SOURCE};
 *     errors found later (by {@code NodeAssembly}) name it too
 * @param node this node's name, reported in its status
 * @param dataDir the node's state: registry, process and VM state, certificates, nginx
 * @param api the gRPC API's listeners and their security
 * @param metrics the admin HTTP endpoint
 * @param runtimes which runtimes run workloads
 * @param ports the host ports routes are given
 * @param routes the node's proxy
 * @param certificates certificates for L7 routes
 * @param stages boot stages ({@code [[stages]]}), in order; empty for none
 * @param reconcile the reconcile loops
 * @param secretsDir where components' secret files are ({@code [secrets] dir})
 * @param registrySettings the registry's own settings ({@code [registry]})
 */
public record AgentConfig(
    String source,
    String node,
    Path dataDir,
    ApiConfig api,
    MetricsConfig metrics,
    RuntimesConfig runtimes,
    PortRange ports,
    RoutesConfig routes,
    CertificatesConfig certificates,
    List<BootStage> stages,
    ReconcileConfig reconcile,
    Path secretsDir,
    RegistrySettings registrySettings) {

  /** The source of a configuration built from defaults alone (no file given). */
  public static final String DEFAULTS_SOURCE = "(defaults)";

  /**
   * Next to where the agent runs, so that a first try needs no file; a node's service sets an
   * absolute path such as {@code /var/lib/berth}.
   */
  public static final String DEFAULT_DATA_DIR = "./berth-data";

  /** See {@link PortRange#DEFAULT}: above most services' own ports, below the ephemeral range. */
  public static final PortRange DEFAULT_PORTS = PortRange.DEFAULT;

  public AgentConfig {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(runtimes, "runtimes");
    Objects.requireNonNull(ports, "ports");
    Objects.requireNonNull(routes, "routes");
    Objects.requireNonNull(certificates, "certificates");
    stages = List.copyOf(stages);
    Objects.requireNonNull(reconcile, "reconcile");
    Objects.requireNonNull(secretsDir, "secretsDir");
    Objects.requireNonNull(registrySettings, "registrySettings");
  }

  /** {@code <data_dir>/secrets}: apart from the agent's own secrets, which no workload may name. */
  public static final String DEFAULT_SECRETS_DIR = "secrets";

  /**
   * The rules applied specs must pass on this node: strict, with the node's facts that some rules
   * depend on ({@code routes.default_domain}).
   */
  public ValidationPolicy validation() {
    return ValidationPolicy.STRICT.withDefaultDomain(DefaultDomain.of(routes.defaultDomain()));
  }

  /**
   * The registry in the data directory, checking applied specs with {@link #validation()} and
   * keeping {@code registry.history_limit} specs of each service.
   */
  public RegistryConfig registry() {
    return registry(ProcessLimitSupport.UNKNOWN);
  }

  /**
   * The registry in the data directory, checking applied specs with {@link #validation()} and what
   * the node's process runtime can enforce of {@code memory} and {@code vcpus} (found at start, see
   * {@code NodeAssembly.processLimits}), and keeping {@code registry.history_limit} specs of each
   * service.
   */
  public RegistryConfig registry(ProcessLimitSupport processLimits) {
    return RegistryConfig.at(dataDir)
        .withValidation(validation().withProcessLimits(processLimits))
        .withHistoryPerService(registrySettings.historyLimit());
  }

  /**
   * The effective settings as TOML, every key with its value (defaults and derived paths included,
   * secrets never: files are named, not read). The text loads back as the same configuration. The
   * agent logs it at start; {@code berth agent --print-config} can print it.
   */
  public String describe() {
    return ConfigDescription.of(this);
  }
}
