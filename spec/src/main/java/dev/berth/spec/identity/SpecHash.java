package dev.berth.spec.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The hash that tells whether a running workload still matches its declaration, the value of the
 * {@link Labels#SPEC_HASH} label: a different hash means the workload must be replaced. Whoever
 * runs a component (a node's runtimes, a cluster's Deployments) writes every field that shapes its
 * workload into one hash, in a fixed order.
 *
 * <p>Every field is written length-prefixed, so no two different specs encode alike (a value
 * containing a separator cannot fake another field).
 */
public final class SpecHash {

  private final StringBuilder text = new StringBuilder(256);

  private SpecHash() {}

  /** An empty hash to write fields into. */
  public static SpecHash builder() {
    return new SpecHash();
  }

  /** Writes a text field; null is told apart from empty. */
  public SpecHash field(String value) {
    if (value == null) {
      text.append("-;");
    } else {
      text.append(value.length()).append(':').append(value).append(';');
    }
    return this;
  }

  /** Writes a number: a count before a list, or a numeric field. */
  public SpecHash count(long value) {
    text.append('#').append(value).append(';');
    return this;
  }

  /** Writes a map as its size and then each key and value, in the map's order. */
  public SpecHash map(Map<String, String> map) {
    count(map.size());
    map.forEach(
        (key, value) -> {
          field(key);
          field(value);
        });
    return this;
  }

  /** The hash of every field written, as 16 hex digits. */
  public String hash() {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(text.toString().getBytes(StandardCharsets.UTF_8));
      // 64 bits: plenty to tell one component's versions apart, short enough to read in labels.
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
