/**
 * Stable host ports for routes: a range, and an allocator that keeps a port with its (service,
 * component, route).
 */
package dev.berth.reconcilers.port;
