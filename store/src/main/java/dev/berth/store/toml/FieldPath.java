package dev.berth.store.toml;

import dev.berth.spec.validation.Rules;
import java.util.regex.Pattern;

/**
 * Builds field paths that read like the validator's: {@code components[0].routes[1].port}, and
 * {@code env["LOG_LEVEL"]} for the entries of a table of free-form keys.
 */
public final class FieldPath {

  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

  private FieldPath() {}

  /** A key of a table with a fixed set of keys. */
  public static String key(String parent, String key) {
    if (!PLAIN_KEY.matcher(key).matches()) {
      return entry(parent, key);
    }
    return parent.isEmpty() ? key : parent + "." + key;
  }

  /** An element of an array. */
  public static String element(String parent, int index) {
    return parent + "[" + index + "]";
  }

  /** An entry of a table whose keys are data, such as env and labels. */
  public static String entry(String parent, String key) {
    return parent + "[" + Rules.quote(key) + "]";
  }
}
