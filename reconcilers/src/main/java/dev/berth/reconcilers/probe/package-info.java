/**
 * Health probes (tcp, http, and others registered on {@link
 * dev.berth.reconcilers.probe.StandardProber}, such as the berth-probe-grpc module's) and the
 * schedule that probes running workloads.
 */
package dev.berth.reconcilers.probe;
