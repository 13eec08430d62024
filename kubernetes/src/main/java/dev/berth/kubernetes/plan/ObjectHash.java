package dev.berth.kubernetes.plan;

import dev.berth.spec.identity.SpecHash;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stamps a desired object with {@link ClusterLabels#OBJECT_HASH}, the hash of its JSON: whatever
 * the planner puts in an object, a change of it (a new mapping in a new operator version included)
 * changes the hash, and an object whose hash the cluster already holds is not written again. Its
 * {@link ClusterLabels#GENERATION} label is left out of the hash, so that a new generation that
 * does not change an object does not rewrite it.
 */
final class ObjectHash {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private ObjectHash() {}

  /** Hashes {@code object} as built, then adds the hash annotation and the generation label. */
  static <T extends HasMetadata> T stamp(T object, long generation) {
    String hash = SpecHash.builder().field(JSON.asJson(object)).hash();
    Map<String, String> annotations = new LinkedHashMap<>();
    if (object.getMetadata().getAnnotations() != null) {
      annotations.putAll(object.getMetadata().getAnnotations());
    }
    annotations.put(ClusterLabels.OBJECT_HASH, hash);
    object.getMetadata().setAnnotations(annotations);
    Map<String, String> labels = new LinkedHashMap<>(object.getMetadata().getLabels());
    labels.put(ClusterLabels.GENERATION, Long.toString(generation));
    object.getMetadata().setLabels(labels);
    return object;
  }

  /** The hash {@code object} carries, or null. */
  static String of(HasMetadata object) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(ClusterLabels.OBJECT_HASH);
  }
}
