package dev.berth.spec.identity;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How a workload learns the ports of its routes, whatever runs it: each route named {@code name}
 * gives {@code PORT_<NAME>} (upper case, {@code -} and {@code .} as {@code _}), and a component
 * with exactly one route also gets {@code PORT}, the convention of Heroku-style platforms. The
 * values are the ports the workload must listen on. Berth sets these variables, so a declaration
 * may not.
 */
public final class PortVariables {

  /** The variable of a component's only route. */
  public static final String SINGLE = "PORT";

  private static final String PREFIX = "PORT_";

  private PortVariables() {}

  /** The variable that tells a workload the port of its route named {@code routeName}. */
  public static String forRoute(String routeName) {
    return PREFIX + routeName.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
  }

  /** Whether Berth sets {@code key} for a component with routes, so its env may not. */
  public static boolean isReserved(String key) {
    return key.equals(SINGLE) || key.startsWith(PREFIX);
  }

  /**
   * The variables for a component's route ports, in the routes' order.
   *
   * @param routePorts each route's name and the port its workload listens on, in declared order
   */
  public static Map<String, String> of(Map<String, Integer> routePorts) {
    Map<String, String> env = new LinkedHashMap<>();
    routePorts.forEach((name, port) -> env.put(forRoute(name), Integer.toString(port)));
    if (routePorts.size() == 1) {
      env.put(SINGLE, Integer.toString(routePorts.values().iterator().next()));
    }
    return env;
  }
}
