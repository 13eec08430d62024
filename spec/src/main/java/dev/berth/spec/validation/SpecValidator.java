package dev.berth.spec.validation;

import dev.berth.spec.identity.PortVariables;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.HealthProbe;
import dev.berth.spec.model.PortMapping;
import dev.berth.spec.model.ProbeType;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.SecretRef;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.model.UpdatePolicy;
import dev.berth.spec.model.UpdateStrategy;
import dev.berth.spec.model.VolumeMount;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Checks declared services against Berth's rules and reports every broken one with its field path,
 * such as {@code components[1].routes[0].port: must be 1..65535, was 70000}. It changes nothing and
 * looks at nothing outside the specs it is given.
 */
public final class SpecValidator {

  /** The most components a service may have. */
  public static final int MAX_COMPONENTS = 64;

  /** The most routes a component may have. */
  public static final int MAX_ROUTES = 64;

  /**
   * The most entries of the other lists and maps of a spec: arguments, environment, volumes, ports,
   * labels and secrets.
   */
  public static final int MAX_LIST = 1024;

  private final ValidationPolicy policy;

  /** A validator that applies {@code policy}. */
  public SpecValidator(ValidationPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /** A validator with the strict policy, {@link ValidationPolicy#STRICT}. */
  public SpecValidator() {
    this(ValidationPolicy.STRICT);
  }

  /** What it applies. */
  public ValidationPolicy policy() {
    return policy;
  }

  /** Throws {@link InvalidSpecException} with every violation, if there is any. */
  public void check(List<ServiceSpec> services) {
    List<Violation> violations = validateAll(services);
    if (!violations.isEmpty()) {
      throw new InvalidSpecException(violations);
    }
  }

  /**
   * Validates a set of services applied together: each one, plus the rules between them (unique
   * names, no two routes claiming the same listener port and hostname, see {@link RouteClaims}).
   * Paths start with {@code services[NAME]} (or {@code services[INDEX]} where the name is broken or
   * already taken).
   */
  public List<Violation> validateAll(List<ServiceSpec> services) {
    List<Violation> violations = new ArrayList<>();
    Map<String, Integer> firstByName = new HashMap<>();
    RouteClaims claims = new RouteClaims();
    for (int i = 0; i < services.size(); i++) {
      ServiceSpec service = services.get(i);
      boolean nameValid = Rules.dnsLabel(service.name()) == null;
      Integer first = nameValid ? firstByName.putIfAbsent(service.name(), i) : null;
      // A second service of the same name is told apart from the first by its index.
      String prefix =
          nameValid && first == null ? "services[" + service.name() + "]" : "services[" + i + "]";
      validate(service).forEach(v -> violations.add(v.within(prefix)));
      if (!nameValid) {
        continue;
      }
      if (first != null) {
        violations.add(
            new Violation(
                "services[" + i + "].name",
                "duplicate service name "
                    + Rules.quote(service.name())
                    + ": services["
                    + first
                    + "] has it too"));
        continue;
      }
      forEachClaim(
          service,
          (path, claim) -> {
            RouteClaims.Conflict conflict = claims.claim(claim, prefix + "." + path);
            // Conflicts within the service are reported by validate(service) already.
            if (conflict != null && !conflict.owner().startsWith(prefix + ".")) {
              violations.add(
                  new Violation(
                      conflict.path(claim, prefix + "." + path),
                      conflict.message(claim, "is claimed by")));
            }
          });
    }
    return violations;
  }

  /** Validates one service; paths are relative to it ({@code components[0].image}). */
  public List<Violation> validate(ServiceSpec service) {
    List<Violation> out = new ArrayList<>();
    add(out, "name", Rules.dnsLabel(service.name()));
    if (service.node() != null) {
      add(out, "node", Rules.hostname(service.node(), false));
    }
    if (service.comment() != null) {
      add(out, "comment", Rules.plainText(service.comment(), Rules.MAX_COMMENT, true));
    }
    checkList(out, "labels", service.labels().size());
    for (var entry : service.labels().entrySet()) {
      String path = "labels[" + Text.quote(entry.getKey()) + "]";
      add(out, path, Rules.serviceLabelKey(entry.getKey()));
      add(out, path, Rules.serviceLabelValue(entry.getValue()));
    }
    List<ComponentSpec> components = service.components();
    if (components.isEmpty()) {
      out.add(new Violation("components", "a service needs at least one component"));
    }
    if (components.size() > MAX_COMPONENTS) {
      out.add(
          new Violation(
              "components", "at most " + MAX_COMPONENTS + " components, was " + components.size()));
      return out;
    }
    Map<String, Integer> firstByName = new HashMap<>();
    for (int i = 0; i < components.size(); i++) {
      ComponentSpec component = components.get(i);
      String prefix = "components[" + i + "]";
      validate(component).forEach(v -> out.add(v.within(prefix)));
      if (component.name() != null) {
        Integer first = firstByName.putIfAbsent(component.name(), i);
        if (first != null) {
          out.add(
              new Violation(
                  prefix + ".name",
                  "duplicate component name "
                      + Rules.quote(component.name())
                      + ": components["
                      + first
                      + "] has it too"));
        }
      }
    }
    checkDefaultHostnames(service, out);
    checkRouteClaims(service, out);
    checkPublishedPorts(service, out);
    return out;
  }

  /** Validates one component; paths are relative to it. */
  public List<Violation> validate(ComponentSpec c) {
    List<Violation> out = new ArrayList<>();
    add(out, "name", Rules.dnsLabel(c.name()));
    if (c.runtime() == null) {
      out.add(new Violation("runtime", "must be set"));
    } else {
      checkWorkload(c, out);
    }
    checkList(out, "cmd", c.cmd().size());
    for (int i = 0; i < c.cmd().size(); i++) {
      add(out, "cmd[" + i + "]", Rules.plainText(c.cmd().get(i), Rules.MAX_ARG, false));
    }
    checkList(out, "env", c.env().size());
    for (var entry : c.env().entrySet()) {
      String key = entry.getKey();
      String path = "env[" + (key == null ? "null" : Text.quote(key)) + "]";
      add(out, path, Rules.envKey(key));
      add(out, path, Rules.plainText(entry.getValue(), Rules.MAX_ENV_VALUE, true));
      if (key != null && !c.routes().isEmpty() && PortVariables.isReserved(key)) {
        out.add(
            new Violation(
                path, "is set by Berth from the component's routes (PORT and PORT_<ROUTE>)"));
      }
    }
    checkSecrets(c, out);
    checkList(out, "volumes", c.volumes().size());
    for (int i = 0; i < c.volumes().size(); i++) {
      VolumeMount volume = c.volumes().get(i);
      add(out, "volumes[" + i + "].host", Rules.absolutePath(volume.hostPath()));
      add(out, "volumes[" + i + "].container", Rules.absolutePath(volume.containerPath()));
    }
    if (!c.volumes().isEmpty() && c.runtime() != null && c.runtime() != RuntimeKind.CONTAINER) {
      out.add(new Violation("volumes", "only containers mount volumes"));
    }
    checkList(out, "ports", c.ports().size());
    for (int i = 0; i < c.ports().size(); i++) {
      PortMapping port = c.ports().get(i);
      String path = "ports[" + i + "]";
      if (port.hostIp() != null) {
        add(out, path + ".ip", Rules.ipLiteral(port.hostIp()));
      }
      add(out, path + ".host", Rules.port(port.hostPort()));
      add(out, path + ".container", Rules.port(port.containerPort()));
    }
    if (c.network() != null) {
      add(out, "network", Rules.network(c.network()));
    }
    if (c.user() != null) {
      add(out, "user", Rules.user(c.user()));
    }
    add(
        out,
        "memory",
        c.memoryMb() == 0 ? null : Rules.range(c.memoryMb(), 1, Rules.MAX_MEMORY_MB));
    add(out, "vcpus", c.vcpus() == 0 ? null : Rules.range(c.vcpus(), 1, Rules.MAX_VCPUS));
    checkRoutes(c, out);
    if (c.health() != null) {
      checkHealth(c, c.health(), out);
    }
    checkUpdate(c, c.update(), out);
    checkList(out, "labels", c.labels().size());
    for (var entry : c.labels().entrySet()) {
      String path = "labels[" + Text.quote(entry.getKey()) + "]";
      add(out, path, Rules.labelKey(entry.getKey()));
      add(out, path, Rules.plainText(entry.getValue(), Rules.MAX_LABEL_VALUE, false));
    }
    return out;
  }

  /**
   * A secret is one more environment variable, so it follows env's rules and may not set what env
   * or the routes' PORT variables set; its file is a plain name within the agent's secrets
   * directory.
   */
  private static void checkSecrets(ComponentSpec c, List<Violation> out) {
    checkList(out, "secrets", c.secrets().size());
    Map<String, Integer> firstByName = new HashMap<>();
    for (int i = 0; i < c.secrets().size(); i++) {
      SecretRef secret = c.secrets().get(i);
      String path = "secrets[" + i + "]";
      if (secret == null) {
        out.add(new Violation(path, "must not be null"));
        continue;
      }
      String name = secret.name();
      add(out, path + ".name", Rules.envKey(name));
      add(out, path + ".file", Rules.secretFile(secret.file()));
      if (name == null) {
        continue;
      }
      if (c.env().containsKey(name)) {
        out.add(
            new Violation(
                path + ".name",
                "env sets " + Rules.quote(name) + " too; a variable comes from one of the two"));
      }
      if (PortVariables.isReserved(name)) {
        out.add(
            new Violation(
                path + ".name",
                "PORT and PORT_<ROUTE> are set by Berth from the component's routes, was "
                    + Rules.quote(name)));
      }
      Integer first = firstByName.putIfAbsent(name, i);
      if (first != null) {
        out.add(
            new Violation(
                path + ".name",
                "duplicate secret name "
                    + Rules.quote(name)
                    + ": secrets["
                    + first
                    + "] has it too"));
      }
    }
  }

  private void checkWorkload(ComponentSpec c, List<Violation> out) {
    switch (c.runtime()) {
      case CONTAINER -> {
        add(out, "image", Rules.image(c.image(), policy));
        if (c.executable() != null) {
          out.add(new Violation("executable", "only process components have an executable"));
        }
      }
      case UNIKERNEL -> {
        // A unikernel image is a file on the node or a reference to one in a registry.
        add(
            out,
            "image",
            c.image() != null && c.image().startsWith("/")
                ? Rules.absolutePath(c.image())
                : Rules.image(c.image(), policy));
        if (c.memoryMb() <= 0) {
          out.add(new Violation("memory", "a unikernel needs memory > 0 (MiB)"));
        }
        checkKernelCommandLine(c, out);
        if (!c.secrets().isEmpty()) {
          out.add(
              new Violation(
                  "secrets",
                  "a unikernel's environment goes on its kernel command line, which every user"
                      + " of the node can read (ps, /proc); a unikernel takes no secrets"));
        }
        checkVmPorts(c, out);
        if (c.executable() != null) {
          out.add(new Violation("executable", "only process components have an executable"));
        }
      }
      case PROCESS -> {
        add(out, "executable", Rules.executable(c.executable()));
        if (c.image() != null) {
          out.add(new Violation("image", "process components run an executable, not an image"));
        }
        if (c.user() != null) {
          out.add(
              new Violation(
                  "user", "a process runs as the agent's user; only containers set a user"));
        }
        add(out, "memory", policy.processLimits().memory(c.memoryMb()));
        add(out, "vcpus", policy.processLimits().vcpus(c.vcpus()));
      }
    }
  }

  /**
   * QEMU's user networking forwards a host port from an IPv4 address only, so a VM's published port
   * cannot bind an IPv6 one; the QEMU runtime would refuse it at every reconcile.
   */
  private static void checkVmPorts(ComponentSpec c, List<Violation> out) {
    for (int i = 0; i < c.ports().size(); i++) {
      String ip = c.ports().get(i).hostIp();
      if (ip != null && ip.contains(":")) {
        out.add(
            new Violation(
                "ports[" + i + "].ip",
                "a unikernel's port is forwarded from an IPv4 address only, was "
                    + Text.quote(ip)));
      }
    }
  }

  /** x86 Linux's COMMAND_LINE_SIZE, less its closing NUL: the QEMU runtime refuses more. */
  static final int MAX_KERNEL_COMMAND_LINE = 2047;

  /** Linux passes init 32 variables, two of them its own HOME and TERM; more panic the kernel. */
  static final int MAX_KERNEL_ENV = 30;

  /** A host port's longest decimal form, for the PORT variables Berth adds later. */
  private static final int PORT_DIGITS = 5;

  /**
   * A unikernel's env reaches the guest as KEY=value parameters of its kernel's command line (the
   * QEMU runtime's KernelCommandLine), before cmd, so it must be what Linux can carry: no double
   * quote or control character in a value, at most 30 variables and 2047 bytes in all, counting the
   * PORT variables Berth adds for the routes with the longest port.
   */
  private static void checkKernelCommandLine(ComponentSpec c, List<Violation> out) {
    int length = 0;
    int variables = 0;
    for (var entry : c.env().entrySet()) {
      String key = entry.getKey();
      String value = entry.getValue();
      if (key == null || value == null) {
        continue; // refused by the rules of every env
      }
      // Other control characters are refused for every runtime; tabs and newlines only here.
      if (value.indexOf('"') >= 0 || value.indexOf('\t') >= 0 || value.indexOf('\n') >= 0) {
        out.add(
            new Violation(
                "env[" + Text.quote(key) + "]",
                "a unikernel's env goes on its kernel command line, which cannot carry a double"
                    + " quote or a control character"));
      }
      boolean quoted = value.chars().anyMatch(ch -> ch == ' ' || ch > 0x7e);
      length += utf8Length(key) + 1 + utf8Length(value) + (quoted ? 2 : 0) + 1;
      variables++;
    }
    for (RouteSpec route : c.routes()) {
      if (route.name() != null) {
        length += "PORT_".length() + route.name().length() + 1 + PORT_DIGITS + 1;
        variables++;
      }
    }
    if (c.routes().size() == 1) {
      length += "PORT=".length() + PORT_DIGITS + 1;
      variables++;
    }
    for (String arg : c.cmd()) {
      length += (arg == null ? 0 : utf8Length(arg)) + 1;
    }
    if (variables > MAX_KERNEL_ENV) {
      out.add(
          new Violation(
              "env",
              "a unikernel's env (with PORT variables for its routes) goes on its kernel command"
                  + " line, and Linux passes at most "
                  + MAX_KERNEL_ENV
                  + " variables; were "
                  + variables));
    }
    if (length - 1 > MAX_KERNEL_COMMAND_LINE) {
      out.add(
          new Violation(
              "cmd",
              "the kernel command line (env, PORT variables for the routes, and cmd) would be up to "
                  + (length - 1)
                  + " bytes, more than the "
                  + MAX_KERNEL_COMMAND_LINE
                  + " Linux accepts"));
    }
  }

  private static int utf8Length(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  private void checkRoutes(ComponentSpec c, List<Violation> out) {
    if (c.routes().size() > MAX_ROUTES) {
      out.add(
          new Violation("routes", "at most " + MAX_ROUTES + " routes, was " + c.routes().size()));
      return;
    }
    Map<String, Integer> firstByName = new HashMap<>();
    for (int i = 0; i < c.routes().size(); i++) {
      RouteSpec route = c.routes().get(i);
      String path = "routes[" + i + "]";
      add(out, path + ".name", Rules.dnsLabel(route.name()));
      add(out, path + ".port", Rules.port(route.port()));
      if (route.mode() == null) {
        out.add(new Violation(path + ".mode", "must be set"));
      }
      // Without one, an l4 route owns its listener port and an l7 route is served under the
      // agent's default domain (checkDefaultHostnames).
      if (route.hostname() != null) {
        add(out, path + ".hostname", Rules.hostname(route.hostname(), true));
      }
      if (route.name() != null) {
        Integer first = firstByName.putIfAbsent(route.name(), i);
        if (first != null) {
          out.add(
              new Violation(
                  path + ".name",
                  "duplicate route name "
                      + Rules.quote(route.name())
                      + ": routes["
                      + first
                      + "] has it too"));
        }
      }
    }
  }

  /** The shortest deadline: a workload needs a moment to start, even on loopback. */
  public static final Duration MIN_UPDATE_DEADLINE = Duration.ofSeconds(1);

  /** The longest deadline: an update that takes longer is stuck, not slow. */
  public static final Duration MAX_UPDATE_DEADLINE = Duration.ofHours(1);

  /** The longest drain: the old workload holds its port (and memory) all that time. */
  public static final Duration MAX_UPDATE_DRAIN = Duration.ofMinutes(10);

  private static void checkUpdate(ComponentSpec c, UpdatePolicy update, List<Violation> out) {
    if (update.strategy() == UpdateStrategy.BESIDE) {
      if (c.routes().isEmpty()) {
        out.add(
            new Violation(
                "update.strategy",
                "\"beside\" needs a route: the proxy is what switches to the new workload"));
      }
      if (!c.ports().isEmpty()) {
        out.add(
            new Violation(
                "update.strategy",
                "\"beside\" cannot run two workloads that publish the same ports; remove ports or"
                    + " use \"recreate\""));
      }
      if (c.health() != null && (c.health().route() == null || c.health().route().isEmpty())) {
        out.add(
            new Violation(
                "update.strategy",
                "\"beside\" probes the new workload at a route's port; health names a port, so"
                    + " aim it at a route or use \"recreate\""));
      }
    }
    if (update.deadline().compareTo(MIN_UPDATE_DEADLINE) < 0
        || update.deadline().compareTo(MAX_UPDATE_DEADLINE) > 0) {
      out.add(
          new Violation(
              "update.deadline", "must be 1s..1h, was " + update.deadline().toMillis() + "ms"));
    }
    if (update.drain().isNegative() || update.drain().compareTo(MAX_UPDATE_DRAIN) > 0) {
      out.add(
          new Violation(
              "update.drain", "must be 0s..10m, was " + update.drain().toMillis() + "ms"));
    }
  }

  private void checkHealth(ComponentSpec c, HealthProbe probe, List<Violation> out) {
    if (probe.type() == null) {
      out.add(new Violation("health.type", "must be set"));
    }
    boolean hasPort = probe.port() != 0;
    boolean hasRoute = probe.route() != null;
    if (hasPort == hasRoute) {
      out.add(new Violation("health", "must name exactly one of port and route"));
    }
    if (hasPort) {
      add(out, "health.port", Rules.port(probe.port()));
    }
    if (hasRoute && c.routes().stream().noneMatch(r -> probe.route().equals(r.name()))) {
      out.add(
          new Violation(
              "health.route", "names no route of this component: " + Rules.quote(probe.route())));
    }
    if (probe.type() == ProbeType.HTTP) {
      if (probe.path() == null || !probe.path().startsWith("/")) {
        out.add(new Violation("health.path", "an http probe needs a path starting with '/'"));
      } else {
        add(out, "health.path", Rules.plainText(probe.path(), 1024, false));
      }
    } else if (probe.path() != null) {
      add(out, "health.path", Rules.plainText(probe.path(), 1024, false));
    }
    checkProbeTiming(probe, out);
  }

  /** The shortest probe period: a probe a few times a second at most, however short the test. */
  public static final Duration MIN_PROBE_PERIOD = Duration.ofMillis(100);

  /** The shortest probe timeout: a loopback connection takes well under it. */
  public static final Duration MIN_PROBE_TIMEOUT = Duration.ofMillis(10);

  /** The longest probe period, timeout and initial delay. */
  public static final Duration MAX_PROBE_TIME = Duration.ofHours(1);

  /** The most failures in a row a liveness probe may wait for. */
  public static final int MAX_FAILURE_THRESHOLD = 100;

  private static void checkProbeTiming(HealthProbe probe, List<Violation> out) {
    boolean periodValid = within(out, "health.period", probe.period(), MIN_PROBE_PERIOD);
    if (within(out, "health.timeout", probe.timeout(), MIN_PROBE_TIMEOUT)
        && periodValid
        && probe.timeout().compareTo(probe.period()) > 0) {
      out.add(
          new Violation(
              "health.timeout",
              "must be at most the period ("
                  + probe.period().toMillis()
                  + "ms): a probe ends before the next one, was "
                  + probe.timeout().toMillis()
                  + "ms"));
    }
    add(
        out,
        "health.failure_threshold",
        Rules.range(probe.failureThreshold(), 1, MAX_FAILURE_THRESHOLD));
    within(out, "health.initial_delay", probe.initialDelay(), Duration.ZERO);
  }

  /** Checks {@code min <= value <= }{@link #MAX_PROBE_TIME}; says whether it holds. */
  private static boolean within(List<Violation> out, String path, Duration value, Duration min) {
    if (value.compareTo(min) >= 0 && value.compareTo(MAX_PROBE_TIME) <= 0) {
      return true;
    }
    out.add(
        new Violation(
            path, "must be " + min.toMillis() + "ms..1h, was " + value.toMillis() + "ms"));
    return false;
  }

  /**
   * An l7 route without a hostname is served at {@code <service>.<domain>}, with the agent's
   * default domain: where the agent has none, nothing could serve it.
   */
  private void checkDefaultHostnames(ServiceSpec service, List<Violation> out) {
    DefaultDomain domain = policy.defaultDomain();
    forEachRoute(
        service,
        (path, route) -> {
          if (!route.servedAtDefaultDomain()) {
            return;
          }
          String hostname = domain.hostnameFor(service.name());
          if (hostname == null) {
            out.add(
                new Violation(
                    path + ".hostname",
                    "an l7 route without a hostname is served at "
                        + service.name()
                        + ".<"
                        + DefaultDomain.SETTING
                        + ">, and the agent setting "
                        + DefaultDomain.SETTING
                        + " is not set; set it, or give the route a hostname"));
          } else if (domain.name() != null && service.name() != null) {
            String broken = Rules.hostname(hostname, false);
            if (broken != null) {
              out.add(
                  new Violation(
                      path + ".hostname",
                      "an l7 route without a hostname is served at <service>.<"
                          + DefaultDomain.SETTING
                          + ">, which "
                          + broken));
            }
          }
        });
  }

  /**
   * Two routes of one service may not claim the same listener port and hostname, and a route
   * without a hostname takes its listener port alone.
   */
  private void checkRouteClaims(ServiceSpec service, List<Violation> out) {
    RouteClaims claims = new RouteClaims();
    forEachClaim(
        service,
        (path, claim) -> {
          RouteClaims.Conflict conflict = claims.claim(claim, path);
          if (conflict != null) {
            out.add(
                new Violation(
                    conflict.path(claim, path), conflict.message(claim, "is already claimed by")));
          }
        });
  }

  /**
   * One host address and port can be published once. The default address, 0.0.0.0 and :: bind every
   * address, so they take the port from any other address too.
   */
  private static void checkPublishedPorts(ServiceSpec service, List<Violation> out) {
    Map<String, String> published = new HashMap<>();
    Map<Integer, String> anyByPort = new HashMap<>();
    Map<Integer, String> wildcardByPort = new HashMap<>();
    List<ComponentSpec> components = service.components();
    for (int i = 0; i < components.size(); i++) {
      List<PortMapping> ports = components.get(i).ports();
      for (int j = 0; j < ports.size(); j++) {
        PortMapping port = ports.get(j);
        String where = "components[" + i + "].ports[" + j + "]";
        String ip = port.hostIp();
        boolean wildcard = ip == null || ip.equals("0.0.0.0") || ip.equals("::");
        String first = published.putIfAbsent((wildcard ? "*" : ip) + ":" + port.hostPort(), where);
        if (first == null) {
          first = (wildcard ? anyByPort : wildcardByPort).get(port.hostPort());
        }
        anyByPort.putIfAbsent(port.hostPort(), where);
        if (wildcard) {
          wildcardByPort.putIfAbsent(port.hostPort(), where);
        }
        if (first != null) {
          out.add(
              new Violation(
                  where, "host port " + port.hostPort() + " is already published by " + first));
        }
      }
    }
  }

  private static void forEachRoute(ServiceSpec service, BiConsumer<String, RouteSpec> action) {
    List<ComponentSpec> components = service.components();
    for (int i = 0; i < components.size(); i++) {
      List<RouteSpec> routes = components.get(i).routes();
      for (int j = 0; j < routes.size(); j++) {
        action.accept("components[" + i + "].routes[" + j + "]", routes.get(j));
      }
    }
  }

  /**
   * The claim of every route whose claim is known: not of a route without a mode, nor of an l7
   * route without a hostname where the agent has no default domain (both refused already).
   */
  private void forEachClaim(ServiceSpec service, BiConsumer<String, RouteClaims.Claim> action) {
    forEachRoute(
        service,
        (path, route) -> {
          if (route.mode() == null) {
            return;
          }
          RouteClaims.Claim claim =
              RouteClaims.Claim.of(service.name(), route, policy.defaultDomain());
          if (route.mode() == RouteMode.L4 || !claim.wholePort()) {
            action.accept(path, claim);
          }
        });
  }

  private static void checkList(List<Violation> out, String path, int size) {
    if (size > MAX_LIST) {
      out.add(new Violation(path, "at most " + MAX_LIST + " entries, was " + size));
    }
  }

  private static void add(List<Violation> out, String path, String message) {
    if (message != null) {
      out.add(new Violation(path, message));
    }
  }
}
