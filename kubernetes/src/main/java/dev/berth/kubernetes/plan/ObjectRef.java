package dev.berth.kubernetes.plan;

/**
 * A desired object by its kind and name (in the BerthService's namespace), with the {@link
 * ClusterLabels#OBJECT_HASH} it is written with.
 */
public record ObjectRef(String kind, String name, String hash) {}
