/**
 * Routes: the {@link dev.berth.reconcilers.route.RouteRegistrar} SPI that puts them in a proxy, and
 * the loop that keeps the proxy's routes those of the running workloads.
 */
package dev.berth.reconcilers.route;
