package dev.berth.kubernetes.plan;

import dev.berth.spec.model.ComponentSpec;
import dev.berth.spec.model.PortMapping;
import dev.berth.spec.model.RestartPolicy;
import dev.berth.spec.model.RouteMode;
import dev.berth.spec.model.RouteSpec;
import dev.berth.spec.model.RuntimeKind;
import dev.berth.spec.model.ServiceSpec;
import dev.berth.spec.validation.Violation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a valid spec may ask for that a cluster cannot honour, each with its field path. A service
 * is run whole or not at all: one refusal and nothing of it is written.
 */
final class ClusterCapabilities {

  /** The port an Ingress serves HTTPS on. */
  static final int INGRESS_PORT = 443;

  /** The label whose value a node's name is matched against. */
  static final String HOSTNAME_LABEL = "kubernetes.io/hostname";

  private static final Pattern NUMERIC_USER = Pattern.compile("[0-9]{1,10}(:[0-9]{1,10})?");
  private static final Pattern LABEL_NAME =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /**
   * The refusals of one spec.
   *
   * @param runtime components whose runtime a cluster has not ({@code RuntimeNotSupported})
   * @param other everything else a cluster cannot honour
   */
  record Refusals(List<Violation> runtime, List<Violation> other) {

    static final Refusals NONE = new Refusals(List.of(), List.of());

    Refusals {
      runtime = List.copyOf(runtime);
      other = List.copyOf(other);
    }

    boolean none() {
      return runtime.isEmpty() && other.isEmpty();
    }
  }

  private ClusterCapabilities() {}

  /**
   * The refusals of {@code spec}. Robust to a spec the validator refuses too, so that both are
   * reported at once.
   */
  static Refusals check(ServiceSpec spec, OperatorConfig config) {
    List<Violation> runtime = new ArrayList<>();
    List<Violation> other = new ArrayList<>();
    boolean pinned = spec.node() != null;
    if (pinned && !labelValue(spec.node())) {
      other.add(
          new Violation(
              "node",
              "a cluster picks a node by its "
                  + HOSTNAME_LABEL
                  + " label, whose values are at most 63 characters of letters, digits, '-', '_'"
                  + " and '.'"));
    }
    Map<String, String> routeObjectNames = new HashMap<>();
    for (int i = 0; i < spec.components().size(); i++) {
      ComponentSpec c = spec.components().get(i);
      String at = "components[" + i + "]";
      if (c.runtime() != null && c.runtime() != RuntimeKind.CONTAINER) {
        runtime.add(
            new Violation(
                at + ".runtime",
                "a cluster runs containers only; "
                    + c.runtime().wire()
                    + " components run on a node (berth agent)"));
      }
      if (c.restart() == RestartPolicy.NO || c.restart() == RestartPolicy.ON_FAILURE) {
        other.add(
            new Violation(
                at + ".restart",
                "a Deployment always restarts its pod, so restart = \""
                    + c.restart().wire()
                    + "\" cannot be honoured; declare \"always\" (or \"unless-stopped\")"));
      }
      if (c.update().autoRevert()) {
        other.add(
            new Violation(
                at + ".update.auto_revert",
                "a Deployment whose rollout fails keeps its old pod serving but never declares"
                    + " the old spec again, and the operator does not either; set it to false and"
                    + " roll back with kubectl apply of the earlier BerthService"));
      }
      if (c.user() != null && !NUMERIC_USER.matcher(c.user()).matches()) {
        other.add(
            new Violation(
                at + ".user",
                "a pod runs as a numeric uid[:gid] (its securityContext); was \""
                    + c.user()
                    + "\""));
      }
      if (c.network() != null) {
        other.add(
            new Violation(
                at + ".network",
                "a pod joins the cluster's network; a cluster has no runtime network to join"));
      }
      for (int j = 0; j < c.volumes().size(); j++) {
        if (!pinned) {
          other.add(
              new Violation(
                  at + ".volumes[" + j + "]",
                  "a host path is mounted only for a service pinned to a node: set node, or"
                      + " remove the volume"));
        }
      }
      Map<String, Integer> routePorts = RoutePorts.of(c, config);
      for (int j = 0; j < c.ports().size(); j++) {
        PortMapping port = c.ports().get(j);
        if (!pinned) {
          other.add(
              new Violation(
                  at + ".ports[" + j + "]",
                  "a host port is published only for a service pinned to a node: set node, or"
                      + " remove the port"));
        }
        for (var route : routePorts.entrySet()) {
          if (route.getValue() == port.containerPort()) {
            other.add(
                new Violation(
                    at + ".ports[" + j + "].container",
                    "port "
                        + port.containerPort()
                        + " is the container port of route \""
                        + route.getKey()
                        + "\" on a cluster (routes listen on "
                        + config.firstRoutePort()
                        + " and up)"));
          }
        }
      }
      for (int j = 0; j < c.routes().size(); j++) {
        RouteSpec route = c.routes().get(j);
        String path = at + ".routes[" + j + "]";
        if (route.mode() == RouteMode.L7 && route.port() != INGRESS_PORT) {
          other.add(
              new Violation(
                  path + ".port",
                  "an l7 route is served by an Ingress, on port "
                      + INGRESS_PORT
                      + "; was "
                      + route.port()));
        }
        if (spec.name() != null && c.name() != null && route.name() != null) {
          String name = ObjectNames.route(spec.name(), c.name(), route.name());
          String first = routeObjectNames.putIfAbsent(name, path);
          if (first != null) {
            other.add(
                new Violation(
                    path + ".name",
                    "its objects would be named "
                        + name
                        + ", as those of "
                        + first
                        + " are; rename one of the two"));
          }
        }
      }
      for (var label : c.labels().entrySet()) {
        if (label.getKey() == null) {
          continue; // the validator refuses it
        }
        String path = at + ".labels[\"" + label.getKey() + "\"]";
        if (!labelKey(label.getKey())) {
          other.add(
              new Violation(
                  path,
                  "is not a Kubernetes label key ([prefix/]name, the name at most 63 characters)"));
        }
        if (label.getValue() != null && !labelValue(label.getValue())) {
          other.add(
              new Violation(
                  path,
                  "a Kubernetes label value is at most 63 characters of letters, digits, '-', '_'"
                      + " and '.', starting and ending with a letter or digit"));
        }
      }
    }
    return new Refusals(runtime, other);
  }

  static boolean labelValue(String value) {
    return value.length() <= 63 && LABEL_NAME.matcher(value).matches();
  }

  static boolean labelKey(String key) {
    int slash = key.indexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
        return false;
      }
    }
    return !name.isEmpty() && labelValue(name);
  }
}
