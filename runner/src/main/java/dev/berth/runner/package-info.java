/**
 * The node agent and its CLI: a config file turned into objects, the gRPC API, metrics and health
 * endpoints. Wiring only: logic that grows here belongs in a module above.
 *
 * <p><b>Internal</b>: the runner is an application; not part of Berth's API, it may change in any
 * release.
 */
package dev.berth.runner;
