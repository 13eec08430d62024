package dev.berth.kubernetes.plan;

import dev.berth.spec.identity.SpecHash;

/**
 * The names of the objects planned for a service. A name only has to be unique and valid: identity
 * comes from {@link ClusterLabels}, never from parsing a name back.
 *
 * <p>Every name is a DNS-1035 label (what a Service's name must be, and valid for every other
 * kind): at most 63 characters of {@code a-z}, {@code 0-9} and {@code -}, starting with a letter.
 * {@code <service>-<component>} (and {@code -<route>}) when that fits; otherwise its first
 * characters and a hash of the whole, so that two long names stay apart.
 */
public final class ObjectNames {

  static final int MAX = 63;
  private static final int HASH_LENGTH = 8;

  private ObjectNames() {}

  /** The Deployment and Service of a component. */
  public static String component(String service, String component) {
    return label(service + "-" + component);
  }

  /** The Ingress or TLSRoute, Certificate and Secret of a route. */
  public static String route(String service, String component, String route) {
    return label(service + "-" + component + "-" + route);
  }

  static String label(String joined) {
    // Berth's names are DNS labels, which may start with a digit; a Service's name may not.
    String name = Character.isDigit(joined.charAt(0)) ? "b-" + joined : joined;
    if (name.length() <= MAX) {
      return name;
    }
    String hash = SpecHash.builder().field(joined).hash().substring(0, HASH_LENGTH);
    String prefix = name.substring(0, MAX - HASH_LENGTH - 1);
    while (prefix.endsWith("-")) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    return prefix + "-" + hash;
  }
}
