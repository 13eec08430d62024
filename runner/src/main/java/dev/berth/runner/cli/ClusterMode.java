package dev.berth.runner.cli;

import java.util.List;

/**
 * Whether this jar holds the cluster mode: {@code berth operator} and {@code berth kube export} run
 * on fabric8's client, java-operator-sdk and the kubernetes module, which berth-operator.jar holds
 * and berth.jar, the node's jar, leaves out (runner/pom.xml). Those commands ask here before they
 * touch any of it, so that the node's jar answers them with one line rather than a {@code
 * NoClassDefFoundError}; their classes name the cluster mode's types only in code that runs after
 * this check, so their help, completion and man pages work in either jar.
 */
final class ClusterMode {

  /** One class of each part that berth.jar leaves out: fabric8's client, the kubernetes module. */
  static final List<String> PROBES =
      List.of(
          "io.fabric8.kubernetes.client.KubernetesClient",
          "dev.berth.kubernetes.operator.ServiceExport");

  private ClusterMode() {}

  /** Whether the cluster mode's classes are here; none is loaded, let alone initialised. */
  static boolean available() {
    ClassLoader loader = ClusterMode.class.getClassLoader();
    for (String probe : PROBES) {
      try {
        Class.forName(probe, false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        return false;
      }
    }
    return true;
  }

  /** What {@code command} prints when the cluster mode is not in this jar. */
  static String missing(String command) {
    return "error: "
        + command
        + " runs from berth-operator.jar (the cluster mode); this berth.jar is the node's build,"
        + " without it";
  }
}
