package dev.berth.runner.api;

import dev.berth.proto.v1.AgentProto;
import dev.berth.store.registry.HistoryEntry;
import dev.berth.store.registry.StoredService;
import java.util.List;

/** A service's history as the API sends it ({@code HistoryResponse}). */
final class HistoryViews {

  private HistoryViews() {}

  static AgentProto.HistoryResponse history(
      StoredService service, List<HistoryEntry> entries, int limit) {
    AgentProto.HistoryResponse.Builder out =
        AgentProto.HistoryResponse.newBuilder()
            .setService(service.name())
            .setGeneration(service.generation())
            .setLimit(limit);
    for (HistoryEntry entry : entries) {
      out.addEntries(entry(entry));
    }
    return out.build();
  }

  private static AgentProto.HistoryEntry entry(HistoryEntry entry) {
    AgentProto.HistoryEntry.Builder out =
        AgentProto.HistoryEntry.newBuilder()
            .setGeneration(entry.generation())
            .setDeclaredAt(ServiceViews.timestamp(entry.declaredAt()))
            .setSource(entry.source())
            .setRollbackOf(entry.rollbackOf())
            .setSpec(ProtoSpecs.toProto(entry.spec()));
    if (entry.healthyAt() != null) {
      out.setHealthyAt(ServiceViews.timestamp(entry.healthyAt()));
    }
    entry.changes().forEach(change -> out.addChanges(ServiceViews.fieldChange(change)));
    return out.build();
  }
}
