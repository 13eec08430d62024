/**
 * The status vocabulary, shared by node and cluster: the words a component's state takes ({@link
 * dev.berth.spec.status.ComponentPhase}, {@link dev.berth.spec.status.ActionFailure}, both a {@link
 * dev.berth.spec.status.ComponentState}), the condition types and their reasons, and the
 * service-level {@link dev.berth.spec.status.ServiceConvergence} condition. Each word is spelled
 * once, here; the planner produces these values, the API sends their words, and clients read the
 * words back into them instead of re-deriving the planner's rules.
 */
package dev.berth.spec.status;
