/**
 * The {@code BerthService} custom resource, and its one mapping to and from the spec module's
 * {@link dev.berth.spec.model.ServiceSpec}.
 */
package dev.berth.kubernetes.resource;
