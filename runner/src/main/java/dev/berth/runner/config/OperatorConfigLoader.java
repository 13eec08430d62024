package dev.berth.runner.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.kubernetes.operator.OperatorSettings;
import dev.berth.kubernetes.plan.OperatorConfig;
import dev.berth.kubernetes.stage.ClusterStage;
import dev.berth.reconcilers.cert.local.LocalCaConfig;
import dev.berth.spec.validation.Rules;
import dev.berth.spec.validation.Violation;
import dev.berth.store.toml.Table;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Loads {@code berth operator --config FILE}, a TOML file whose every key is in {@link #KEYS} (and
 * in docs/kubernetes.md's table, which a test checks against it). Every problem is reported at
 * once, with its key path, in a {@link ConfigException}; the namespaces come from the command line.
 */
public final class OperatorConfigLoader {

  /**
   * One key of the file.
   *
   * @param path its key path; {@code stages[].name} for a key of every {@code [[stages]]} table
   * @param defaultValue as docs/kubernetes.md writes it
   */
  public record Key(String path, String type, String defaultValue, String rule) {

    /** Its row in docs/kubernetes.md's table. */
    public String row() {
      return "| `" + path + "` | " + type + " | " + defaultValue + " | " + rule + " |";
    }
  }

  public static final List<Key> KEYS =
      List.of(
          new Key(
              "metrics.listen",
              "address",
              "`127.0.0.1:9464`",
              "`/metrics`, `/healthz`, `/readyz`; `\"\"` disables them. Any address (in a pod,"
                  + " the kubelet probes the pod's own address): the endpoint has no"
                  + " authentication"),
          new Key(
              "resync_period",
              "duration",
              "`10m`",
              "every BerthService is reconciled this often although no event came"),
          new Key(
              "ingress_class",
              "string",
              "`\"\"` (the cluster's default class)",
              "the `ingressClassName` of l7 routes' Ingresses"),
          new Key(
              "default_domain",
              "string",
              "`\"\"` (none)",
              "an l7 route without a hostname is served at `<service>.<default_domain>`; without"
                  + " it, such a route is refused"),
          new Key(
              "first_route_port",
              "integer",
              "`8080`",
              "the container port of a component's first route; the next routes take the ports"
                  + " after it (`PORT_<NAME>` says which)"),
          new Key(
              "allow_floating_tags",
              "boolean",
              "`false`",
              "accept images without a tag or tagged `:latest`, as `ValidationPolicy` on a node"),
          new Key(
              "gateway.name",
              "string",
              "`berth-passthrough`",
              "the Gateway that l4 routes' TLSRoutes attach to"),
          new Key(
              "gateway.namespace",
              "string",
              "`\"\"` (the BerthService's own)",
              "that Gateway's namespace"),
          new Key(
              "gateway.section",
              "string",
              "`\"\"` (any listener)",
              "the Gateway listener (`sectionName`) to attach to"),
          new Key(
              "certificates.source",
              "string",
              "`cert-manager`",
              "`cert-manager`: a Certificate per l7 route from the issuer below; `secrets`:"
                  + " someone else writes each route's `kubernetes.io/tls` Secret; `local-ca`:"
                  + " Berth's local CA issues it and the operator writes the Secret"),
          new Key(
              "certificates.issuer_kind",
              "string",
              "`ClusterIssuer`",
              "`ClusterIssuer` or `Issuer`, with `cert-manager`"),
          new Key(
              "certificates.issuer_name",
              "string",
              "`berth`",
              "the cert-manager issuer that signs the routes' certificates"),
          new Key(
              "certificates.renew_before",
              "duration",
              "`30d`",
              "with `local-ca`: a certificate is issued again this long before it expires"),
          new Key(
              "certificates.local_ca.dir",
              "path",
              "required with `local-ca`",
              "the CA's `ca.pem` and `ca-key.pem`, created there on first use when absent;"
                  + " relative to the working directory"),
          new Key(
              "certificates.local_ca.validity",
              "duration",
              "`90d`",
              "how long the certificates it issues are valid; longer than `renew_before`"),
          new Key("stages[].name", "string", "required", "a DNS label, unique"),
          new Key(
              "stages[].services",
              "array of strings",
              "required",
              "`name` (any watched namespace) or `namespace/name`; each in one stage at most"),
          new Key(
              "stages[].timeout",
              "duration",
              "`5m`",
              "how long the stage may take once one of its services is admitted"),
          new Key(
              "stages[].required",
              "boolean",
              "`true`",
              "later stages wait for it however long it takes; `false`: they go on after its"
                  + " timeout"));

  /** Where the admin endpoint listens by default: the agent's port, on loopback. */
  public static final String DEFAULT_METRICS_LISTEN = MetricsConfig.DEFAULT_LISTEN;

  static final List<String> CERTIFICATE_SOURCES = List.of("cert-manager", "secrets", "local-ca");

  /**
   * What {@code berth operator} runs with.
   *
   * @param metricsListen where {@code /metrics}, {@code /healthz} and {@code /readyz} are served,
   *     or null for nowhere
   * @param localCa the local CA that issues l7 routes' certificates with {@code certificates.source
   *     = "local-ca"}, else null ({@code enabled} is always true here)
   */
  public record Loaded(OperatorSettings settings, HostPort metricsListen, LocalCaConfig localCa) {}

  private OperatorConfigLoader() {}

  /** Every default: no file. */
  public static Loaded defaults() {
    return fromTree(JsonNodeFactory.instance.objectNode(), "(defaults)", Path.of(""));
  }

  /**
   * Loads {@code file} (relative to {@code workingDir}).
   *
   * @throws ConfigException with every problem found
   */
  public static Loaded load(Path file, Path workingDir) {
    String source = file.toString();
    String text = AgentConfigLoader.readFile(workingDir.toAbsolutePath().resolve(file), source);
    return fromTree(AgentConfigLoader.parse(text, source), source, workingDir);
  }

  /** Reads the text of a file named {@code source}; relative paths from the working directory. */
  public static Loaded read(String toml, String source) {
    return fromTree(AgentConfigLoader.parse(toml, source), source, Path.of(""));
  }

  private static Loaded fromTree(ObjectNode tree, String source, Path workingDir) {
    List<Violation> errors = new ArrayList<>();
    Table root = Table.root(tree, workingDir.toAbsolutePath().normalize(), errors);
    root.rejectUnknownKeys(keysIn(""));

    Table metrics = root.section("metrics");
    metrics.rejectUnknownKeys(keysIn("metrics"));
    String listenText = metrics.string("listen", DEFAULT_METRICS_LISTEN);
    HostPort listen =
        listenText.isEmpty() ? null : ApiSection.hostPort(metrics, "listen", listenText);

    Duration resync = root.duration("resync_period", OperatorSettings.DEFAULT_RESYNC);
    String ingressClass = emptyAsNull(root.string("ingress_class", ""));
    String defaultDomain = emptyAsNull(root.string("default_domain", ""));
    int firstRoutePort =
        (int) root.integer("first_route_port", 1, 65535, OperatorConfig.DEFAULT_FIRST_ROUTE_PORT);
    boolean floating = root.bool("allow_floating_tags", false);

    Table gateway = root.section("gateway");
    gateway.rejectUnknownKeys(keysIn("gateway"));
    OperatorConfig.GatewayRef gatewayRef =
        new OperatorConfig.GatewayRef(
            emptyAsNull(gateway.string("namespace", "")),
            gateway.string("name", OperatorConfig.DEFAULT_GATEWAY.name()),
            emptyAsNull(gateway.string("section", "")));

    Table certificates = root.section("certificates");
    certificates.rejectUnknownKeys(keysIn("certificates"));
    String certificateSource =
        certificates.choice("source", CERTIFICATE_SOURCES, CERTIFICATE_SOURCES.get(0));
    OperatorConfig.IssuerRef issuer = OperatorConfig.DEFAULT_CERTIFICATES.issuer();
    Duration renewBefore =
        certificates.duration(
            "renew_before", OperatorConfig.CertificateSource.DEFAULT_RENEW_BEFORE);
    LocalCaConfig localCa = localCa(certificates, certificateSource, renewBefore);
    OperatorConfig.CertificateSource certificateFrom =
        switch (certificateSource) {
          case "secrets" -> OperatorConfig.CertificateSource.existingSecrets();
          case "local-ca" -> OperatorConfig.CertificateSource.localCa(renewBefore);
          default ->
              OperatorConfig.CertificateSource.certManager(
                  new OperatorConfig.IssuerRef(
                      certificates.choice(
                          "issuer_kind", List.of("ClusterIssuer", "Issuer"), issuer.kind()),
                      certificates.string("issuer_name", issuer.name())));
        };

    List<ClusterStage> stages = stages(root);

    OperatorConfig planner = null;
    try {
      planner =
          new OperatorConfig(
              gatewayRef,
              certificateFrom,
              ingressClass,
              firstRoutePort,
              defaultDomain,
              floating,
              OperatorConfig.DEFAULT_STAGE_RECHECK,
              OperatorConfig.DEFAULT_ROUTE_WITHDRAWAL_RECHECK,
              OperatorConfig.DEFAULT_NO_EVENT_RECHECK);
    } catch (IllegalArgumentException e) {
      root.report("first_route_port", e.getMessage());
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(source, errors);
    }
    return new Loaded(
        new OperatorSettings(OperatorSettings.DEFAULTS.namespaces(), planner, stages, resync),
        listen,
        localCa);
  }

  /**
   * {@code [certificates.local_ca]}, read only with {@code source = "local-ca"} (and refused with
   * another source, where it would do nothing): the CA's directory, required, and its leaves'
   * validity, longer than {@code renew_before}.
   */
  private static LocalCaConfig localCa(Table certificates, String source, Duration renewBefore) {
    if (!"local-ca".equals(source)) {
      if (certificates.has("local_ca")) {
        certificates.report("local_ca", "is read only with certificates.source = \"local-ca\"");
      }
      if (certificates.has("renew_before")) {
        certificates.report("renew_before", "is read only with certificates.source = \"local-ca\"");
      }
      return null;
    }
    Table localCa = certificates.section("local_ca");
    localCa.rejectUnknownKeys(keysIn("certificates.local_ca"));
    Path dir = localCa.path("dir");
    if (dir == null) {
      localCa.report("dir", "is required with certificates.source = \"local-ca\"");
    }
    Duration validity = CertificatesSection.leafValidity(localCa, renewBefore);
    return dir == null ? null : new LocalCaConfig(true, dir, validity);
  }

  private static List<ClusterStage> stages(Table root) {
    List<ClusterStage> stages = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    Set<String> services = new LinkedHashSet<>();
    for (Table stage : root.tables("stages", "[[stages]]")) {
      stage.rejectUnknownKeys(keysIn("stages"));
      String name = stage.string("name", "");
      if (!stage.has("name")) {
        stage.report("name", "is required: every stage has a name");
      } else if (Rules.dnsLabel(name) != null) {
        stage.report("name", Rules.dnsLabel(name));
      } else if (!names.add(name)) {
        stage.report("name", "must be unique, was " + Rules.quote(name));
      }
      if (!stage.has("services") || stage.isEmptyArray("services")) {
        stage.report("services", "must list at least one service");
      }
      List<String> members = new ArrayList<>();
      for (Table.Element element : stage.stringElements("services")) {
        String ref = element.text();
        String service = ref.substring(ref.indexOf('/') + 1);
        String broken =
            Rules.dnsLabel(service) != null
                ? Rules.dnsLabel(service)
                : ref.contains("/") && Rules.dnsLabel(ref.substring(0, ref.indexOf('/'))) != null
                    ? "the namespace: " + Rules.dnsLabel(ref.substring(0, ref.indexOf('/')))
                    : null;
        if (broken != null) {
          stage.reportAt(element.path(), broken);
        } else if (!services.add(ref)) {
          stage.reportAt(element.path(), "is in another stage already: " + Rules.quote(ref));
        } else {
          members.add(ref);
        }
      }
      stages.add(
          new ClusterStage(
              name,
              members,
              stage.duration("timeout", ClusterStage.DEFAULT_TIMEOUT),
              stage.bool("required", ClusterStage.DEFAULT_REQUIRED)));
    }
    return stages;
  }

  /** The keys directly in the table at {@code section} ({@code ""} for the root). */
  static List<String> keysIn(String section) {
    String prefix = section.isEmpty() ? "" : section + ".";
    Set<String> keys = new LinkedHashSet<>();
    for (Key key : KEYS) {
      String path = key.path().replace("[]", "");
      if (path.startsWith(prefix)) {
        String rest = path.substring(prefix.length());
        keys.add(rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest);
      }
    }
    return List.copyOf(keys);
  }

  private static String emptyAsNull(String text) {
    return text == null || text.isEmpty() ? null : text;
  }
}
