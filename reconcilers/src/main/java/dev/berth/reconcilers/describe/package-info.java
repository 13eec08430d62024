/**
 * The read model of a node: what it knows of each declared service ({@link
 * dev.berth.reconcilers.describe.ServiceDescription}) and of itself ({@link
 * dev.berth.reconcilers.describe.NodeSummary}), as {@code BerthNode.describe} and {@code summary}
 * give them. An embedder reads it without the runner; the agent's API only translates it to its
 * messages.
 */
package dev.berth.reconcilers.describe;
