/**
 * The agent's gRPC API ({@code berth.v1.AgentService}) over the registry and the node.
 *
 * <p><b>Internal</b>: the runner is an application; the wire API is the proto module; not part of
 * Berth's API, it may change in any release.
 */
package dev.berth.runner.api;
