package dev.berth.store.registry;

import java.util.List;

/**
 * The outcome of an apply for one service.
 *
 * @param service its name
 * @param kind created, updated, unchanged or pruned
 * @param generation the generation after the apply (for a dry run: what it would be); 0 if pruned
 * @param previousSource the source that owned it before, when the apply took it over; else null
 * @param diff the changed fields, for updates (and every field, for creations)
 */
public record ServiceChange(
    String service,
    ChangeKind kind,
    long generation,
    String previousSource,
    List<FieldChange> diff) {

  /** Copies the diff. */
  public ServiceChange {
    diff = List.copyOf(diff);
  }
}
