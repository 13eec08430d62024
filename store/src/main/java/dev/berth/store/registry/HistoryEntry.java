package dev.berth.store.registry;

import dev.berth.spec.model.ServiceSpec;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One declared spec of a service, as its history keeps it ({@link ServiceStore#history}).
 *
 * @param generation the generation it was declared at
 * @param spec what was declared, with the desired state it had then (a rollback keeps the current
 *     desired state, whatever this one says)
 * @param declaredAt when it was declared
 * @param source who declared it: the apply's source ({@code file:/etc/berth/services}, {@code
 *     api}), or, for a rollback, who asked for it
 * @param rollbackOf the generation whose spec this one declared again; 0 if it was no rollback
 * @param healthyAt when the service first converged running this spec (its {@code Converged}
 *     condition True while declared running); null if it never has
 * @param changes what changed from the entry before it, field by field as a dry run shows them (the
 *     desired state left out: stop and start are no entries); empty for the oldest entry kept
 */
public record HistoryEntry(
    long generation,
    ServiceSpec spec,
    Instant declaredAt,
    String source,
    long rollbackOf,
    Instant healthyAt,
    List<FieldChange> changes) {

  /** Requires the spec; copies the changes. */
  public HistoryEntry {
    Objects.requireNonNull(spec, "spec");
    changes = List.copyOf(changes);
  }

  /** Whether the service ever converged running this spec. */
  public boolean healthy() {
    return healthyAt != null;
  }
}
