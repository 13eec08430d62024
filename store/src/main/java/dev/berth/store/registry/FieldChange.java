package dev.berth.store.registry;

/**
 * One changed field of a spec, for dry runs and for people.
 *
 * @param path the field path, as in validation messages ({@code components[0].image})
 * @param before the old value as JSON, or null if the field is new
 * @param after the new value as JSON, or null if the field is gone
 */
public record FieldChange(String path, String before, String after) {

  @Override
  public String toString() {
    if (before == null) {
      return "+ " + path + ": " + after;
    }
    if (after == null) {
      return "- " + path + ": " + before;
    }
    return "~ " + path + ": " + before + " -> " + after;
  }
}
