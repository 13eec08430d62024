/**
 * The agent's admin HTTP endpoints on a loopback address: {@code /metrics} for Prometheus, {@code
 * /healthz} and {@code /readyz} for supervisors and probes.
 */
package dev.berth.runner.http;
