package dev.berth.store.registry;

import dev.berth.spec.model.ServiceSpec;
import java.time.Instant;

/**
 * A declared service as the registry holds it.
 *
 * @param spec what was declared
 * @param generation bumped by every change; pass it back as the expected generation to write safely
 * @param source who applied it: a file set ({@code file:/etc/berth/services}) or a client; prune
 *     only removes services of its own source
 * @param createdAt when it was first applied
 * @param updatedAt when its generation last changed
 */
public record StoredService(
    ServiceSpec spec, long generation, String source, Instant createdAt, Instant updatedAt) {

  /** The service's name, from its spec. */
  public String name() {
    return spec.name();
  }
}
