package dev.berth.reconcilers.route;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Which routes each service wants at the proxy (published by the service loop) and which the proxy
 * serves (set by the route loop once the proxy took them and answers, emptied while the proxy is
 * down). The service loop waits on the second: a stopped service's workloads stop only once the
 * proxy no longer sends them traffic.
 */
public final class RouteTable {

  private final Map<String, Set<RouteBinding>> published = new ConcurrentHashMap<>();
  private final Map<String, Set<RouteBinding>> served = new ConcurrentHashMap<>();
  private final Map<String, Instant> servedSince = new ConcurrentHashMap<>();
  private final Clock clock;
  private volatile Runnable publishedChanged = () -> {};

  /** A table that reads the time from the system's UTC clock. */
  public RouteTable() {
    this(Clock.systemUTC());
  }

  /**
   * @param clock tells when the proxy's routes of a service changed ({@link #servedSince})
   */
  public RouteTable(Clock clock) {
    this.clock = clock;
  }

  /**
   * When what the proxy serves for {@code service} last changed (since this table exists), or null
   * if it never did: an old workload replaced beside a new one drains from then on.
   */
  public Instant servedSince(String service) {
    return servedSince.get(service);
  }

  /** Tells the route loop to look: called after every change of a published set. */
  public void onPublishedChange(Runnable listener) {
    publishedChanged = listener;
  }

  /** The routes {@code service} wants at the proxy; empty if none. */
  public Set<RouteBinding> published(String service) {
    return published.getOrDefault(service, Set.of());
  }

  /** The routes the proxy serves for {@code service}; empty if none, or while the proxy is down. */
  public Set<RouteBinding> served(String service) {
    return served.getOrDefault(service, Set.of());
  }

  /** Makes {@code routes} the service's published set. */
  public void publish(String service, Set<RouteBinding> routes) {
    Set<RouteBinding> previous =
        routes.isEmpty() ? published.remove(service) : published.put(service, Set.copyOf(routes));
    if (!routes.equals(previous == null ? Set.of() : previous)) {
      publishedChanged.run();
    }
  }

  /** Every published route, of every service. */
  public Set<RouteBinding> allPublished() {
    Set<RouteBinding> all = new HashSet<>();
    published.values().forEach(all::addAll);
    return all;
  }

  /**
   * Records what the proxy serves now, and tells {@code changed} each service whose served set
   * changed.
   */
  public void served(Set<RouteBinding> routes, Consumer<String> changed) {
    Map<String, Set<RouteBinding>> byService = new ConcurrentHashMap<>();
    for (RouteBinding route : routes) {
      byService.computeIfAbsent(route.service(), s -> new HashSet<>()).add(route);
    }
    Set<String> services = new HashSet<>(served.keySet());
    services.addAll(byService.keySet());
    for (String service : services) {
      Set<RouteBinding> now = byService.getOrDefault(service, Set.of());
      Set<RouteBinding> before = served.getOrDefault(service, Set.of());
      if (!now.equals(before)) {
        if (now.isEmpty()) {
          served.remove(service);
        } else {
          served.put(service, Set.copyOf(now));
        }
        servedSince.put(service, clock.instant());
        changed.accept(service);
      }
    }
  }

  /** Services with routes: published ones, or ones the proxy still serves. */
  public Set<String> services() {
    Set<String> services = new HashSet<>(published.keySet());
    services.addAll(served.keySet());
    return services;
  }

  /** Services whose published set differs from what the proxy serves. */
  public Set<String> pending() {
    Set<String> services = services();
    services.removeIf(s -> published(s).equals(served(s)));
    return services;
  }
}
