/**
 * {@link dev.berth.reconcilers.node.BerthNode}: a node's loops wired together, the entry point of
 * an embedding.
 */
package dev.berth.reconcilers.node;
