package dev.berth.reconcilers.route;

import java.util.Set;

/**
 * The node's proxy, as Berth drives it: it is told the whole set of routes to serve, and makes the
 * proxy serve exactly that set; and it is looked at every few seconds, so that a proxy that died or
 * hangs behind Berth's back is noticed and restarted.
 *
 * <p>Implementations must be idempotent (the same set again changes nothing and reloads nothing)
 * and must never leave the proxy with a configuration it refuses: a set that does not validate is
 * reported and the proxy keeps serving the previous one.
 *
 * <p>The route loop calls {@link #check()} and {@link #apply} from one thread at a time.
 */
public interface RouteRegistrar {

  /** A short name for messages: {@code nginx}. */
  String name();

  /**
   * Makes the proxy serve exactly {@code routes}. A proxy that is not running, or that the last
   * {@link #check()} found down, is restarted: what is left of it (a hung process, workers of a
   * dead one still holding its ports) is stopped first. If {@code routes} are refused, a restarted
   * proxy serves the previous set.
   *
   * @return true if the proxy's configuration changed (and it was reloaded) or the proxy was
   *     started, false if it already served this set
   * @throws RouteException if the set could not be put in place; a running proxy still serves what
   *     {@link #current()} returns
   */
  boolean apply(Set<RouteBinding> routes);

  /** The set the proxy serves now: the last one applied successfully (empty at first). */
  Set<RouteBinding> current();

  /**
   * Looks at the proxy now, within a bound of a few seconds: whether it runs and takes signals, and
   * whether each listener of {@link #current()} answers a connection. Changes nothing; a proxy
   * found down is restarted by the next {@link #apply}.
   */
  ProxyHealth check();
}
