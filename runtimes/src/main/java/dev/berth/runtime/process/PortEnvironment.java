package dev.berth.runtime.process;

import dev.berth.runtime.PortBinding;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.spec.identity.PortVariables;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How a process learns its ports: a process binds host ports itself, so there is nothing to
 * publish, only to tell. Each named binding becomes {@code PORT_<NAME>} (upper case, {@code -} and
 * {@code .} as {@code _}); a single binding is also {@code PORT}, the convention of Heroku-style
 * platforms. The value is the host port, since that is where the process must listen.
 */
final class PortEnvironment {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

  private PortEnvironment() {}

  /**
   * The variables for these bindings, in their order.
   *
   * @throws RuntimeFailure INVALID_SPEC if a name cannot be a variable name, or two names give the
   *     same variable
   */
  static Map<String, String> of(List<PortBinding> ports) {
    Map<String, String> env = new LinkedHashMap<>();
    if (ports.size() == 1) {
      env.put(PortVariables.SINGLE, Integer.toString(ports.get(0).hostPort()));
    }
    for (PortBinding port : ports) {
      if (port.name() == null || port.name().isEmpty()) {
        continue;
      }
      if (!NAME.matcher(port.name()).matches()) {
        throw invalid("port name '" + port.name() + "' must match " + NAME.pattern());
      }
      String variable = PortVariables.forRoute(port.name());
      if (env.containsKey(variable)) {
        throw invalid("port names give the same variable " + variable + ": " + ports);
      }
      env.put(variable, Integer.toString(port.hostPort()));
    }
    return env;
  }

  private static RuntimeFailure invalid(String message) {
    return new RuntimeFailure(
        RuntimeFailure.Reason.INVALID_SPEC, "process: " + message, (String) null);
  }
}
