package dev.berth.spec.validation;

import dev.berth.spec.model.RouteSpec;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What routes claim on the node's proxy, each claim with its owner, and the one rule between them:
 * a listener port and hostname belong to one route, and a route without a hostname (an l4 route
 * passing every connection through) takes its whole listener port, beside no other route.
 *
 * <p>Used for the routes of one service, of a set applied together, and against the routes other
 * services hold in the registry, so that the rule reads the same everywhere.
 */
public final class RouteClaims {

  /** Per listener port, the claims on it by hostname (null: the whole port). */
  private final Map<Integer, Map<String, String>> byPort = new HashMap<>();

  /** What a route claims: its listener port, and its hostname or (null) the whole port. */
  public record Claim(int port, String hostname) {

    /**
     * The claim of {@code route} of {@code service}: an l7 route without a hostname claims the one
     * it is served at ({@link DefaultDomain#hostnameFor}).
     */
    public static Claim of(String service, RouteSpec route, DefaultDomain domain) {
      return new Claim(route.port(), domain.hostnameOf(service, route));
    }

    /** Whether it claims its whole port rather than one hostname on it. */
    public boolean wholePort() {
      return hostname == null;
    }

    @Override
    public String toString() {
      return wholePort()
          ? "listener port " + port + " without a hostname"
          : "listener port " + port + " for hostname " + hostname;
    }
  }

  /**
   * A claim refused because of an earlier one.
   *
   * @param earlier what the earlier route claims
   * @param owner who made it, as the message should name them
   */
  public record Conflict(Claim earlier, String owner) {

    /**
     * Why {@code claim} is refused; {@code verb} is how the usual case says it ("is already claimed
     * by", "is claimed by").
     */
    public String message(Claim claim, String verb) {
      if (claim.wholePort()) {
        return claim + " takes the whole port, and " + owner + " claims it already";
      }
      if (earlier.wholePort()) {
        return claim
            + " "
            + verb
            + " "
            + owner
            + ", which has no hostname and takes the whole port";
      }
      return claim + " " + verb + " " + owner;
    }

    /** The field a conflict is reported at: a route without a hostname is short of one. */
    public String path(Claim claim, String routePath) {
      return claim.wholePort() || earlier.wholePort() ? routePath + ".hostname" : routePath;
    }
  }

  /** No claim is recorded. */
  public boolean isEmpty() {
    return byPort.isEmpty();
  }

  /** The claim recorded earlier that {@code claim} conflicts with, or null. */
  public Conflict conflict(Claim claim) {
    Map<String, String> onPort = byPort.get(claim.port());
    if (onPort == null) {
      return null;
    }
    if (claim.wholePort()) {
      return onPort.entrySet().stream()
          .findFirst()
          .map(e -> new Conflict(new Claim(claim.port(), e.getKey()), e.getValue()))
          .orElse(null);
    }
    for (String hostname : new String[] {claim.hostname(), null}) {
      String owner = onPort.get(hostname);
      if (owner != null) {
        return new Conflict(new Claim(claim.port(), hostname), owner);
      }
    }
    return null;
  }

  /** Records {@code claim} for {@code owner} unless it conflicts, and returns the conflict. */
  public Conflict claim(Claim claim, String owner) {
    Conflict conflict = conflict(claim);
    if (conflict == null) {
      byPort
          .computeIfAbsent(claim.port(), port -> new LinkedHashMap<>())
          .put(claim.hostname(), owner);
    }
    return conflict;
  }
}
