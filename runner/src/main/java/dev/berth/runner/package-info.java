/**
 * The node agent and its CLI: a config file turned into objects, the gRPC API, metrics and health
 * endpoints. Wiring only: logic that grows here belongs in a module above.
 */
package dev.berth.runner;
