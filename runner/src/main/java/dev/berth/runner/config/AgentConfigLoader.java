package dev.berth.runner.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.reconcilers.port.PortRange;
import dev.berth.spec.validation.Rules;
import dev.berth.spec.validation.Violation;
import dev.berth.store.file.BoundedText;
import dev.berth.store.toml.Table;
import dev.berth.store.toml.TomlText;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads the agent's TOML configuration file (described in {@code docs/configuration.md}) into an
 * {@link AgentConfig}: defaults applied, relative paths resolved against the working directory,
 * every value checked. Every problem found is reported at once, in a {@link ConfigException}.
 */
public final class AgentConfigLoader {

  static final List<String> KEYS = ConfigKeys.in("");
  static final List<String> METRICS_KEYS = ConfigKeys.in("metrics");
  static final List<String> PORTS_KEYS = ConfigKeys.in("ports");
  static final List<String> RECONCILE_KEYS = ConfigKeys.in("reconcile");
  static final List<String> SECRETS_KEYS = ConfigKeys.in("secrets");
  static final List<String> REGISTRY_KEYS = ConfigKeys.in("registry");

  /**
   * A configuration file is a page or two; a bigger file is something else named by mistake. The
   * bound holds while reading ({@link BoundedText}).
   */
  static final long MAX_FILE_BYTES = 1024 * 1024;

  private static final Pattern PORT_RANGE = Pattern.compile("([0-9]{1,5})-([0-9]{1,5})");

  private AgentConfigLoader() {}

  /**
   * Loads {@code file}, requiring {@code [api.tls]} when {@code api.tcp} is set.
   *
   * @param file the file; a relative path is taken from {@code workingDir}
   * @param workingDir what relative paths in the file are resolved against
   * @throws ConfigException with every problem found
   */
  public static AgentConfig load(Path file, Path workingDir) {
    return load(file, workingDir, false);
  }

  /**
   * Loads {@code file}.
   *
   * @param insecureListen true when the agent was started with {@code --insecure-listen}: then
   *     {@code api.tcp} may be set without {@code [api.tls]}, and serves plain TCP
   * @throws ConfigException with every problem found
   */
  public static AgentConfig load(Path file, Path workingDir, boolean insecureListen) {
    String source = file.toString();
    String text = readFile(workingDir.toAbsolutePath().resolve(file), source);
    return read(text, source, workingDir, insecureListen);
  }

  /** The configuration of an agent started without a file: every default. */
  public static AgentConfig defaults(Path workingDir) {
    return fromTree(
        JsonNodeFactory.instance.objectNode(), AgentConfig.DEFAULTS_SOURCE, workingDir, false);
  }

  /** Loads the text of a file, named {@code source} in messages. */
  static AgentConfig read(String toml, String source, Path workingDir, boolean insecureListen) {
    return fromTree(parse(toml, source), source, workingDir, insecureListen);
  }

  private static AgentConfig fromTree(
      ObjectNode tree, String source, Path workingDir, boolean insecureListen) {
    List<Violation> errors = new ArrayList<>();
    Path base = workingDir.toAbsolutePath().normalize();
    Table root = Table.root(tree, base, errors);
    root.rejectUnknownKeys(KEYS);
    String node = node(root);
    Path dataDir = dataDir(root, base);
    AgentConfig config =
        new AgentConfig(
            source,
            node,
            dataDir,
            ApiSection.read(root.section("api"), insecureListen),
            metrics(root.section("metrics")),
            RuntimesSection.read(root.section("runtimes"), dataDir),
            ports(root.section("ports")),
            RoutesSection.read(root.section("routes"), dataDir),
            CertificatesSection.read(root.section("certificates"), dataDir),
            StagesSection.read(root),
            reconcile(root.section("reconcile")),
            secretsDir(root.section("secrets"), dataDir),
            registry(root.section("registry")));
    if (!errors.isEmpty()) {
      throw new ConfigException(source, errors);
    }
    return config;
  }

  private static String node(Table root) {
    String name = root.string("node", "");
    if (name.isEmpty()) {
      return HostName.local();
    }
    String broken = Rules.hostname(name, false);
    if (broken != null) {
      root.report("node", broken);
    }
    return name;
  }

  private static Path dataDir(Table root, Path base) {
    String text = root.string("data_dir", AgentConfig.DEFAULT_DATA_DIR);
    if (text.isEmpty()) {
      root.report("data_dir", "must not be empty: the node keeps its state there");
      return base.resolve(AgentConfig.DEFAULT_DATA_DIR).normalize();
    }
    Path dir = root.resolve("data_dir", text);
    if (dir == null) {
      return base.resolve(AgentConfig.DEFAULT_DATA_DIR).normalize();
    }
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      root.report(
          "data_dir", "must be a directory, was " + Rules.quote(dir.toString()) + " (a file)");
    }
    return dir;
  }

  private static Path secretsDir(Table secrets, Path dataDir) {
    secrets.rejectUnknownKeys(SECRETS_KEYS);
    Path dir = secrets.path("dir");
    return dir != null ? dir : dataDir.resolve(AgentConfig.DEFAULT_SECRETS_DIR);
  }

  private static MetricsConfig metrics(Table metrics) {
    metrics.rejectUnknownKeys(METRICS_KEYS);
    String text = metrics.string("listen", MetricsConfig.DEFAULT_LISTEN);
    if (text.isEmpty()) {
      return new MetricsConfig(null);
    }
    HostPort listen = ApiSection.hostPort(metrics, "listen", text);
    if (listen != null && !listen.isLoopback()) {
      metrics.report(
          "listen",
          "must be a loopback address (127.0.0.0/8, ::1 or localhost): the endpoint has no"
              + " authentication, was "
              + Rules.quote(text));
    }
    return new MetricsConfig(listen);
  }

  private static PortRange ports(Table ports) {
    ports.rejectUnknownKeys(PORTS_KEYS);
    String text = ports.string("range", AgentConfig.DEFAULT_PORTS.toString());
    Matcher m = PORT_RANGE.matcher(text);
    if (m.matches()) {
      int first = Integer.parseInt(m.group(1));
      int last = Integer.parseInt(m.group(2));
      if (first >= 1024 && last <= 65535 && first < last) {
        return new PortRange(first, last);
      }
    }
    ports.report(
        "range",
        "must be LOW-HIGH with 1024 <= LOW < HIGH <= 65535 (such as \"10000-60000\"), was "
            + Rules.quote(text));
    return AgentConfig.DEFAULT_PORTS;
  }

  private static RegistrySettings registry(Table registry) {
    registry.rejectUnknownKeys(REGISTRY_KEYS);
    return new RegistrySettings(
        (int)
            registry.integer(
                "history_limit",
                1,
                RegistrySettings.MAX_HISTORY_LIMIT,
                RegistrySettings.DEFAULT_HISTORY_LIMIT));
  }

  private static ReconcileConfig reconcile(Table reconcile) {
    reconcile.rejectUnknownKeys(RECONCILE_KEYS);
    return new ReconcileConfig(
        (int)
            reconcile.integer(
                "workers", 1, ReconcileConfig.MAX_WORKERS, ReconcileConfig.DEFAULT_WORKERS),
        reconcile.duration("resync_period", ReconcileConfig.DEFAULT_RESYNC_PERIOD),
        reconcile.duration("relist_period", ReconcileConfig.DEFAULT_RELIST_PERIOD));
  }

  /**
   * The document's root table.
   *
   * @throws ConfigException with one error, {@code line L, column C: TOML syntax error: ...}
   */
  static ObjectNode parse(String text, String source) {
    try {
      return TomlText.parse(text);
    } catch (TomlText.SyntaxException e) {
      String where =
          e.line() <= 0
              ? ""
              : "line " + e.line() + (e.column() > 0 ? ", column " + e.column() : "") + ": ";
      throw fileError(source, where + e.getMessage());
    }
  }

  static String readFile(Path file, String source) {
    try {
      return BoundedText.read(file, MAX_FILE_BYTES, "a configuration file");
    } catch (BoundedText.RefusedException e) {
      throw fileError(source, e.getMessage());
    } catch (NoSuchFileException e) {
      throw fileError(source, "no such file (looked for " + file + ")");
    } catch (AccessDeniedException e) {
      throw fileError(source, "cannot be read: permission denied");
    } catch (CharacterCodingException e) {
      throw fileError(source, "is not UTF-8 text, as TOML must be");
    } catch (IOException e) {
      throw fileError(source, "cannot be read: " + e);
    }
  }

  private static ConfigException fileError(String source, String message) {
    return new ConfigException(source, List.of(new Violation("", message)));
  }
}
