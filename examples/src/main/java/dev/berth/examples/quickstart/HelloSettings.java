package dev.berth.examples.quickstart;

import java.util.List;
import java.util.Map;

/**
 * What a {@link HelloServer} is told by its environment and arguments.
 *
 * @param port the port to listen on, from {@value #PORT_VARIABLE}
 * @param greeting the line {@code GET /} answers: the arguments joined by spaces if there are any,
 *     else {@value #GREETING_VARIABLE}, else {@value #DEFAULT_GREETING}
 */
public record HelloSettings(int port, String greeting) {

  /**
   * Berth gives a process the host port of its route named {@code http} in this variable ({@code
   * PortVariables.forRoute("http")}); the quickstart's services name their route so.
   */
  public static final String PORT_VARIABLE = "PORT_HTTP";

  public static final String GREETING_VARIABLE = "GREETING";

  public static final String DEFAULT_GREETING = "hello from berth";

  /**
   * Reads the settings.
   *
   * @throws IllegalArgumentException naming the variable and the rule, if the port is missing or is
   *     not a port
   */
  public static HelloSettings from(Map<String, String> env, List<String> args) {
    return new HelloSettings(port(env.get(PORT_VARIABLE)), greeting(env, args));
  }

  private static int port(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          PORT_VARIABLE
              + " is not set: Berth sets it from the component's route named \"http\"; by hand,"
              + " run PORT_HTTP=8080 java -cp berth-quickstart.jar "
              + HelloServer.class.getName());
    }
    int port;
    try {
      port = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw notAPort(value);
    }
    if (port < 1 || port > 65535) {
      throw notAPort(value);
    }
    return port;
  }

  private static IllegalArgumentException notAPort(String value) {
    return new IllegalArgumentException(
        PORT_VARIABLE + ": must be a port, 1..65535, was \"" + value + "\"");
  }

  private static String greeting(Map<String, String> env, List<String> args) {
    if (!args.isEmpty()) {
      return String.join(" ", args);
    }
    String fromEnv = env.get(GREETING_VARIABLE);
    return fromEnv == null || fromEnv.isBlank() ? DEFAULT_GREETING : fromEnv;
  }
}
