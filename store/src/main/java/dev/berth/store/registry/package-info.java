/**
 * The registry, an embedded H2 database: what is declared (with generations), what Berth observes
 * and decides (status, conditions, events, ports, certificates), and notifications of committed
 * changes.
 */
package dev.berth.store.registry;
