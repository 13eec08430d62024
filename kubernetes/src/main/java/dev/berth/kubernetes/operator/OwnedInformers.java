package dev.berth.kubernetes.operator;

import dev.berth.kubernetes.plan.ClusterLabels;
import dev.berth.kubernetes.resource.BerthService;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One informer per kind the operator writes, over the objects that carry the {@link
 * ClusterLabels#SERVICE} label in the watched namespaces, each mapped to the BerthService that
 * label names: a change to any of them (a Deployment deleted, a pod's readiness, a Certificate
 * turning Ready) reconciles its service. They are also the operator's read cache, and the cache its
 * own writes go into at once, so that the reconcile after a write sees it.
 */
final class OwnedInformers {

  private final Map<Class<? extends HasMetadata>, InformerEventSource<HasMetadata, BerthService>>
      sources = new LinkedHashMap<>();

  /** The informers of {@link ClusterAccess#WATCHED}: read for status, never written. */
  private final Map<Class<? extends HasMetadata>, InformerEventSource<HasMetadata, BerthService>>
      watched = new LinkedHashMap<>();

  /**
   * @param served the kinds whose API the cluster serves; the optional ones it lacks are skipped
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  List<EventSource<?, BerthService>> prepare(
      EventSourceContext<BerthService> context, Set<Class<? extends HasMetadata>> served) {
    List<EventSource<?, BerthService>> prepared = new ArrayList<>();
    for (ClusterAccess.OwnedKind kind : ClusterAccess.OWNED) {
      if (served.contains(kind.type())) {
        InformerEventSource<HasMetadata, BerthService> source = informer(context, kind.type());
        sources.put(kind.type(), source);
        prepared.add((EventSource) source);
      }
    }
    for (Class<? extends HasMetadata> kind : ClusterAccess.WATCHED) {
      InformerEventSource<HasMetadata, BerthService> source = informer(context, kind);
      watched.put(kind, source);
      prepared.add((EventSource) source);
    }
    return prepared;
  }

  /**
   * An informer over the objects of {@code type} labelled for a service, in the watched namespaces,
   * each mapped to that service by its label (pods are owned by ReplicaSets, not by the service).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static InformerEventSource<HasMetadata, BerthService> informer(
      EventSourceContext<BerthService> context, Class<? extends HasMetadata> type) {
    InformerEventSourceConfiguration<HasMetadata> configuration =
        InformerEventSourceConfiguration.from((Class<HasMetadata>) type, BerthService.class)
            .withName(HasMetadata.getPlural(type))
            .withNamespacesInheritedFromController()
            .withLabelSelector(ClusterLabels.SERVICE)
            .withSecondaryToPrimaryMapper(OwnedInformers::serviceOf)
            .build();
    return new InformerEventSource<>(configuration, (EventSourceContext) context);
  }

  /** The objects of the watched, never written kinds (pods) labelled for {@code service}. */
  List<HasMetadata> watchedFor(BerthService service) {
    List<HasMetadata> objects = new ArrayList<>();
    for (InformerEventSource<HasMetadata, BerthService> source : watched.values()) {
      objects.addAll(source.getSecondaryResources(service));
    }
    return objects;
  }

  /** The kinds that have an informer, in {@link ClusterAccess#OWNED}'s order. */
  Set<Class<? extends HasMetadata>> kinds() {
    return sources.keySet();
  }

  /** The objects labelled for {@code service}, of every watched kind. */
  List<HasMetadata> labelledFor(BerthService service) {
    List<HasMetadata> objects = new ArrayList<>();
    for (InformerEventSource<HasMetadata, BerthService> source : sources.values()) {
      objects.addAll(source.getSecondaryResources(service));
    }
    return objects;
  }

  /** The cached object of {@code type} at {@code namespace/name}, whoever it is labelled for. */
  Optional<HasMetadata> cached(Class<? extends HasMetadata> type, String namespace, String name) {
    InformerEventSource<HasMetadata, BerthService> source = sources.get(type);
    return source == null ? Optional.empty() : source.get(new ResourceID(name, namespace));
  }

  /** Tells the cache of {@code written}'s kind what a write returned, before its watch event. */
  void written(HasMetadata written, HasMetadata before) {
    InformerEventSource<HasMetadata, BerthService> source = sources.get(written.getClass());
    if (source == null) {
      return;
    }
    ResourceID id = ResourceID.fromResource(written);
    if (before == null) {
      source.handleRecentResourceCreate(id, written);
    } else {
      source.handleRecentResourceUpdate(id, written, before);
    }
  }

  private static Set<ResourceID> serviceOf(HasMetadata object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    String service = labels == null ? null : labels.get(ClusterLabels.SERVICE);
    return service == null
        ? Set.of()
        : Set.of(new ResourceID(service, object.getMetadata().getNamespace()));
  }
}
