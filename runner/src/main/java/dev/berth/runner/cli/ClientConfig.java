package dev.berth.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.runner.config.ConfigException;
import dev.berth.spec.validation.Rules;
import dev.berth.spec.validation.Violation;
import dev.berth.store.file.BoundedText;
import dev.berth.store.toml.ClosestKey;
import dev.berth.store.toml.FieldPath;
import dev.berth.store.toml.Table;
import dev.berth.store.toml.TomlText;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CLI's own configuration file: named contexts, each one agent and how to reach it, and which
 * of them is current; as a kubeconfig is for kubectl. Described in docs/cli.md.
 *
 * <pre>
 * current_context = "rift"
 *
 * [contexts.rift]
 * address = "10.0.0.5:7443"
 * ca = "rift/ca.pem"
 * cert = "rift/ops.pem"
 * key = "rift/ops-key.pem"
 * </pre>
 *
 * @param file where it was read from, as messages name it
 * @param currentContext {@code current_context}, or null; not checked here, so that {@code berth
 *     config use-context} can repair a file whose current context was removed
 * @param contexts by name, in the file's order
 */
record ClientConfig(Path file, String currentContext, Map<String, Context> contexts) {

  /** The variable that names the file instead of the default. */
  static final String FILE_VARIABLE = "BERTH_CLIENT_CONFIG";

  static final List<String> KEYS = List.of("current_context", "contexts");
  static final List<String> CONTEXT_KEYS =
      List.of("address", "socket", "ca", "cert", "key", "insecure", "token_file");

  /** A page of contexts at most; a bigger file is something else named by mistake. */
  static final long MAX_FILE_BYTES = 256 * 1024;

  ClientConfig {
    contexts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(contexts));
  }

  /**
   * One agent and how to reach it. Paths are resolved against the file's directory.
   *
   * @param file the file that defines it
   * @param name the context's name
   * @param address the agent's TCP address, or null when it is reached over {@code socket}
   * @param socket the agent's unix socket, or null when it is reached over {@code address}
   * @param insecure plain TCP, no TLS
   */
  record Context(
      Path file,
      String name,
      AgentAddress address,
      Path socket,
      Path ca,
      Path cert,
      Path key,
      boolean insecure,
      Path tokenFile) {

    /** Where {@code key} of this context is, for messages: {@code FILE: contexts.rift.cert}. */
    String origin(String key) {
      return file + ": " + FieldPath.key(FieldPath.key("contexts", name), key);
    }

    /** Where the agent is, as {@code get-contexts} shows it. */
    String agent() {
      return address != null ? address.toString() : socket.toString();
    }
  }

  /**
   * The file: {@code $BERTH_CLIENT_CONFIG}, else {@code $XDG_CONFIG_HOME/berth/config.toml}, else
   * {@code ~/.config/berth/config.toml}.
   */
  static Path location(CliEnvironment environment) {
    String named = environment.variable(FILE_VARIABLE);
    if (named != null) {
      return Path.of(named);
    }
    String xdg = environment.variable("XDG_CONFIG_HOME");
    if (xdg != null) {
      return Path.of(xdg, "berth", "config.toml");
    }
    String home = environment.variable("HOME");
    Path base = home != null ? Path.of(home) : Path.of(System.getProperty("user.home"));
    return base.resolve(".config").resolve("berth").resolve("config.toml");
  }

  /** A configuration without contexts: what a missing file at the default location means. */
  static ClientConfig empty(Path file) {
    return new ClientConfig(file, null, Map.of());
  }

  /** The context named {@code name}, or an error naming the file and what it does have. */
  Context context(String name, String namedBy) {
    Context context = contexts.get(name);
    if (context != null) {
      return context;
    }
    if (contexts.isEmpty()) {
      throw new CliException(
          ExitCodes.FAILED,
          "no context named "
              + Rules.quote(name)
              + " ("
              + namedBy
              + "): "
              + (Files.exists(file) ? file + " defines none" : file + " does not exist"));
    }
    List<String> names = List.copyOf(contexts.keySet());
    String hint =
        ClosestKey.among(name, names)
            .map(k -> "; did you mean " + Rules.quote(k) + "?")
            .orElse(" (its contexts are " + String.join(", ", names) + ")");
    throw new CliException(
        ExitCodes.FAILED,
        "no context named " + Rules.quote(name) + " (" + namedBy + ") in " + file + hint);
  }

  /**
   * Reads {@code file}.
   *
   * @throws ConfigException naming the file and every bad key in it
   */
  static ClientConfig load(Path file) {
    return read(readFile(file), file);
  }

  /** Reads {@code text}, the contents of {@code file}. */
  static ClientConfig read(String text, Path file) {
    ObjectNode root;
    try {
      root = TomlText.parse(text);
    } catch (TomlText.SyntaxException e) {
      String where =
          e.line() <= 0
              ? ""
              : "line " + e.line() + (e.column() > 0 ? ", column " + e.column() : "") + ": ";
      throw fileError(file, where + e.getMessage());
    }
    List<Violation> problems = new ArrayList<>();
    Path base = file.toAbsolutePath().getParent();
    Table top = Table.root(root, base, problems);
    top.rejectUnknownKeys(KEYS);
    String current = top.string("current_context");
    Map<String, Context> contexts = new LinkedHashMap<>();
    Table tables = top.table("contexts");
    if (tables != null) {
      for (Map.Entry<String, JsonNode> entry : top.raw("contexts").properties()) {
        Table table = tables.table(entry.getKey());
        Context context = table == null ? null : context(file, entry.getKey(), table);
        if (context != null) {
          contexts.put(entry.getKey(), context);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(file.toString(), problems);
    }
    return new ClientConfig(file, current, contexts);
  }

  /** One context, or null after reporting why it cannot be one. */
  private static Context context(Path file, String name, Table table) {
    table.rejectUnknownKeys(CONTEXT_KEYS);
    String addressText = table.string("address");
    Path socket = table.path("socket");
    Path ca = table.path("ca");
    Path cert = table.path("cert");
    Path key = table.path("key");
    boolean insecure = table.bool("insecure", false);
    Path tokenFile = table.path("token_file");
    AgentAddress address = null;
    if (addressText != null) {
      address = AgentAddress.parse(addressText).orElse(null);
      if (address == null) {
        table.report(
            "address",
            "must be HOST:PORT, such as 10.0.0.5:7443 or [::1]:7443, was "
                + Rules.quote(addressText));
        return null;
      }
    }
    boolean tlsFiles = ca != null || cert != null || key != null;
    if (address == null && socket == null) {
      table.reportAt(table.path(), "needs address (TCP) or socket (the agent's unix socket)");
      return null;
    }
    if (address != null && socket != null) {
      table.report("socket", "excludes address: the agent is reached one way");
      return null;
    }
    if (socket != null && (tlsFiles || insecure)) {
      table.reportAt(table.path(), "ca, cert, key and insecure go with address, not socket");
      return null;
    }
    if (insecure && tlsFiles) {
      table.report("insecure", "means no TLS: it excludes ca, cert and key");
      return null;
    }
    if (address != null && !insecure && (cert == null || key == null)) {
      table.reportAt(
          table.path(),
          "address needs cert and key (mutual TLS), or insecure = true for plain TCP");
      return null;
    }
    return new Context(file, name, address, socket, ca, cert, key, insecure, tokenFile);
  }

  private static String readFile(Path file) {
    try {
      return BoundedText.read(file, MAX_FILE_BYTES, "a client configuration file");
    } catch (BoundedText.RefusedException e) {
      throw fileError(file, e.getMessage());
    } catch (NoSuchFileException e) {
      throw fileError(file, "no such file");
    } catch (AccessDeniedException e) {
      throw fileError(file, "cannot be read: permission denied");
    } catch (CharacterCodingException e) {
      throw fileError(file, "is not UTF-8 text, as TOML must be");
    } catch (IOException e) {
      throw fileError(file, "cannot be read: " + e);
    }
  }

  static ConfigException fileError(Path file, String message) {
    return new ConfigException(file.toString(), List.of(new Violation("", message)));
  }
}
