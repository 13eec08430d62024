package dev.berth.reconcilers.route;

import java.util.Set;

/**
 * The node's proxy, as Berth drives it: it is told the whole set of routes to serve, and makes the
 * proxy serve exactly that set.
 *
 * <p>Implementations must be idempotent (the same set again changes nothing and reloads nothing)
 * and must never leave the proxy with a configuration it refuses: a set that does not validate is
 * reported and the proxy keeps serving the previous one.
 */
public interface RouteRegistrar {

  /** A short name for messages: {@code nginx}. */
  String name();

  /**
   * Makes the proxy serve exactly {@code routes}.
   *
   * @return true if the proxy's configuration changed (and it was reloaded), false if it already
   *     served this set
   * @throws RouteException if the set could not be put in place; the proxy still serves what {@link
   *     #current()} returns
   */
  boolean apply(Set<RouteBinding> routes);

  /** The set the proxy serves now: the last one applied successfully (empty at first). */
  Set<RouteBinding> current();
}
