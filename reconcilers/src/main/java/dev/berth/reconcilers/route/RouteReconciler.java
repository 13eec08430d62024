package dev.berth.reconcilers.route;

import dev.berth.core.reconcile.Reconciler;
import dev.berth.core.reconcile.Result;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The route loop: one key, the proxy. It hands the union of every service's published routes to the
 * {@link RouteRegistrar}, then records what the proxy serves and tells the services whose served
 * set changed. Many services changing at once cost one reload, since their publishes collapse into
 * one key.
 */
public final class RouteReconciler implements Reconciler<String> {

  /** The loop's only key. */
  public static final String KEY = "proxy";

  private static final Logger LOG = System.getLogger(RouteReconciler.class.getName());

  private final RouteRegistrar registrar;
  private final RouteTable table;
  private final Consumer<String> serviceChanged;
  private final BiConsumer<String, String> failed;

  /**
   * @param serviceChanged told each service whose served routes changed
   * @param failed told (service, reason) for each service whose routes could not be put in place
   */
  public RouteReconciler(
      RouteRegistrar registrar,
      RouteTable table,
      Consumer<String> serviceChanged,
      BiConsumer<String, String> failed) {
    this.registrar = Objects.requireNonNull(registrar, "registrar");
    this.table = Objects.requireNonNull(table, "table");
    this.serviceChanged = Objects.requireNonNull(serviceChanged, "serviceChanged");
    this.failed = Objects.requireNonNull(failed, "failed");
  }

  @Override
  public Result reconcile(String key) {
    Set<RouteBinding> wanted = table.allPublished();
    try {
      if (registrar.apply(wanted)) {
        LOG.log(Level.INFO, "{0} serves {1} routes", registrar.name(), wanted.size());
      }
    } catch (RouteException e) {
      for (String service : table.pending()) {
        failed.accept(service, e.getMessage());
      }
      table.served(registrar.current(), serviceChanged);
      throw e;
    }
    table.served(wanted, serviceChanged);
    return Result.done();
  }
}
