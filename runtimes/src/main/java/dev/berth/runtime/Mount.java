package dev.berth.runtime;

/** A host path mounted into a container. */
public record Mount(String hostPath, String containerPath, boolean readOnly) {}
