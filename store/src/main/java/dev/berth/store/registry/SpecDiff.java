package dev.berth.store.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Field-level differences between two specs in their canonical JSON form. */
final class SpecDiff {

  private SpecDiff() {}

  static List<FieldChange> between(JsonNode before, JsonNode after) {
    List<FieldChange> changes = new ArrayList<>();
    walk("", before, after, changes);
    return changes;
  }

  private static void walk(String path, JsonNode before, JsonNode after, List<FieldChange> out) {
    if (before != null && before.equals(after) || isNothing(before) && isNothing(after)) {
      return;
    }
    if (isObject(before) && isObject(after)) {
      Set<String> fields = new LinkedHashSet<>();
      if (before != null) {
        before.fieldNames().forEachRemaining(fields::add);
      }
      if (after != null) {
        after.fieldNames().forEachRemaining(fields::add);
      }
      for (String field : fields) {
        walk(
            join(path, field),
            before == null ? null : before.get(field),
            after == null ? null : after.get(field),
            out);
      }
      return;
    }
    if (isArray(before) && isArray(after)) {
      Iterator<JsonNode> b = before == null ? Collections.emptyIterator() : before.elements();
      Iterator<JsonNode> a = after == null ? Collections.emptyIterator() : after.elements();
      for (int i = 0; b.hasNext() || a.hasNext(); i++) {
        walk(
            path + "[" + i + "]",
            b.hasNext() ? b.next() : null,
            a.hasNext() ? a.next() : null,
            out);
      }
      return;
    }
    out.add(
        new FieldChange(
            path,
            before == null ? null : before.toString(),
            after == null ? null : after.toString()));
  }

  // A side that is absent takes the other's shape, so that what is new (a created service, an added
  // component) or gone is listed leaf by leaf, as a tree of paths, rather than as one JSON value.
  // An empty object or array says nothing more than an absent one.

  private static boolean isObject(JsonNode node) {
    return node == null || node.isObject();
  }

  private static boolean isArray(JsonNode node) {
    return node == null || node.isArray();
  }

  private static boolean isNothing(JsonNode node) {
    return node == null || node.isContainerNode() && node.isEmpty();
  }

  private static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }
}
