/**
 * The node's own metrics, beside the engine's: services and components by phase, certificates'
 * expiry, proxy reloads and their failures, and runtime calls timed by runtime and operation.
 */
package dev.berth.reconcilers.metrics;
