package dev.berth.kubernetes.plan;

import dev.berth.spec.identity.SpecHash;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@link ClusterLabels#OBJECT_HASH} of a desired object: a hash of everything its builder in
 * {@link DesiredObjects} reads, so that an object whose hash the cluster already holds is neither
 * built nor written again. That is what keeps an idle operator's resync cheap: 10 000 services are
 * compared without building an object.
 *
 * <p>The hash is written from the builder's inputs, not from the object, so it holds only as long
 * as each builder reads nothing else: {@code ObjectHashTest} changes each input and checks that
 * object and hash change together, and {@code MappingFixtureTest} fails when the objects built for
 * a fixed spec change, asking to bump {@link #MAPPING_VERSION} (which every hash includes, so that
 * an operator with a new mapping rewrites what an older one wrote). The generation label is left
 * out, so that a new generation that changes nothing of an object does not rewrite it.
 */
final class ObjectHash {

  /** Bump it whenever DesiredObjects builds different objects from the same inputs. */
  static final String MAPPING_VERSION = "2";

  private ObjectHash() {}

  /** A hash of kind {@code kind} for the BerthService {@code owner}, to write the inputs into. */
  static SpecHash of(String kind, Owner owner) {
    return SpecHash.builder()
        .field(MAPPING_VERSION)
        .field(kind)
        .field(owner.namespace())
        .field(owner.name())
        .field(owner.uid());
  }

  /** Adds the hash annotation and the generation label to {@code object}, as built. */
  static <T extends HasMetadata> T stamp(T object, String hash, long generation) {
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
