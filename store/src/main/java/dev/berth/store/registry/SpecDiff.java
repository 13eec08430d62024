package dev.berth.store.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
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
    if (before != null && before.equals(after)) {
      return;
    }
    if (before != null && after != null && before.isObject() && after.isObject()) {
      Set<String> fields = new LinkedHashSet<>();
      before.fieldNames().forEachRemaining(fields::add);
      after.fieldNames().forEachRemaining(fields::add);
      for (String field : fields) {
        walk(join(path, field), before.get(field), after.get(field), out);
      }
      return;
    }
    if (before != null && after != null && before.isArray() && after.isArray()) {
      Iterator<JsonNode> b = before.elements();
      Iterator<JsonNode> a = after.elements();
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

  private static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }
}
