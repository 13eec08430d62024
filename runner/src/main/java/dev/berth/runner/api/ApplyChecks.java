package dev.berth.runner.api;

import dev.berth.proto.v1.AgentProto;
import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.validation.Rules;
import dev.berth.spec.validation.Text;
import dev.berth.spec.validation.Violation;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rules of an {@code AgentProto.ApplyRequest} that only the agent can check, or that are the
 * request's rather than a spec's: the source, the expected generations, and what the node itself
 * says (its name, the executables it has). The spec rules shared with offline {@code berth
 * validate} are the store's validator's; these run before it, and a violation of either refuses the
 * whole request.
 */
final class ApplyChecks {

  /**
   * The longest source: a file path of usual length with its {@code file:} prefix, and the size of
   * the registry's column.
   */
  static final int MAX_SOURCE = 1024;

  private final String node;

  /**
   * @param node this node's name: a service declared for another node is refused
   */
  ApplyChecks(String node) {
    this.node = node;
  }

  /** The request's own fields: {@code source} and {@code expected_generations}. */
  static List<Violation> request(AgentProto.ApplyRequest request) {
    List<Violation> out = new ArrayList<>();
    String source = source(request.getSource());
    if (source != null) {
      out.add(new Violation("source", source));
    }
    Set<String> names =
        request.getServicesList().stream()
            .map(dev.berth.proto.v1.AgentProto.ServiceSpec::getName)
            .collect(Collectors.toSet());
    for (Map.Entry<String, Long> expected : request.getExpectedGenerationsMap().entrySet()) {
      String path = "expected_generations[" + shown(expected.getKey()) + "]";
      if (!names.contains(expected.getKey())) {
        out.add(new Violation(path, "names no service of this request"));
      } else if (expected.getValue() < 0) {
        out.add(new Violation(path, negativeGeneration(expected.getValue())));
      }
    }
    return out;
  }

  /** What is wrong with a request's source, or null if nothing. */
  static String source(String source) {
    if (!source.isEmpty() && source.isBlank()) {
      return "must not be only blanks (empty means \"" + AgentApi.DEFAULT_SOURCE + "\")";
    }
    if (source.length() > MAX_SOURCE) {
      return "must be at most " + MAX_SOURCE + " characters, was " + source.length();
    }
    for (int i = 0; i < source.length(); ) {
      int c = source.codePointAt(i);
      if (!printable(c)) {
        // Not echoed: the character itself could rewrite the operator's terminal line.
        return String.format(
            "must be printable (no control or format characters), has U+%04X at index %d", c, i);
      }
      i += Character.charCount(c);
    }
    return null;
  }

  private static boolean printable(int c) {
    int type = Character.getType(c);
    return type != Character.CONTROL
        && type != Character.FORMAT
        && type != Character.LINE_SEPARATOR
        && type != Character.PARAGRAPH_SEPARATOR
        && type != Character.SURROGATE
        && type != Character.PRIVATE_USE;
  }

  static String negativeGeneration(long generation) {
    return "must be 0 or more (0: must not exist yet), was " + generation;
  }

  /**
   * What the node says about one service, valid by the spec rules: it must be for this node, and
   * the absolute executables of its process components must exist here. (A relative executable is
   * looked up on the PATH of the process runtime when it starts; if it is not there, the component
   * fails with {@code NoSuchExecutable} in its status.)
   *
   * @param path the service's path in the request, {@code services[web]}
   */
  List<Violation> service(ServiceSpec spec, String path) {
    List<Violation> out = new ArrayList<>();
    if (spec.node() != null && !spec.node().equalsIgnoreCase(node)) {
      out.add(
          new Violation(
              path + ".node", "must be this node or empty, was " + Text.quote(spec.node())));
    }
    List<ComponentSpec> components = spec.components();
    for (int i = 0; i < components.size(); i++) {
      ComponentSpec component = components.get(i);
      if (component.runtime() != RuntimeKind.PROCESS || component.executable() == null) {
        continue;
      }
      String missing = executable(component.executable());
      if (missing != null) {
        out.add(new Violation(path + ".components[" + i + "].executable", missing));
      }
    }
    return out;
  }

  /** Why an absolute executable cannot run on this node, or null if it can (or is relative). */
  private static String executable(String executable) {
    Path file;
    try {
      file = Path.of(executable);
    } catch (InvalidPathException e) {
      return null; // the spec rules say what is wrong with it
    }
    if (!file.isAbsolute()) {
      return null;
    }
    String problem;
    if (!Files.exists(file)) {
      problem = "does not exist";
    } else if (!Files.isRegularFile(file)) {
      problem = "is not a regular file";
    } else if (!Files.isExecutable(file)) {
      problem = "is not executable by the agent";
    } else {
      return null;
    }
    return "must be an executable file on this node: " + Text.quote(executable) + " " + problem;
  }

  /**
   * A service name as error messages show it: as it is when it is a valid name (it is then short
   * and plain), otherwise quoted and cut ({@link Text#quote}), so that a 1 000-character or
   * escape-laden name sent to the agent is not echoed back whole.
   */
  static String shown(String name) {
    return isServiceName(name) ? name : Text.quote(name);
  }

  /** Whether {@code name} can name a service at all (the spec rule for names). */
  static boolean isServiceName(String name) {
    return Rules.dnsLabel(name) == null;
  }
}
