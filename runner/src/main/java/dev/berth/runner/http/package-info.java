/**
 * The agent's admin HTTP endpoints on a loopback address: {@code /metrics} for Prometheus, {@code
 * /healthz} and {@code /readyz} for supervisors and probes.
 *
 * <p><b>Internal</b>: the runner is an application; not part of Berth's API, it may change in any
 * release.
 */
package dev.berth.runner.http;
