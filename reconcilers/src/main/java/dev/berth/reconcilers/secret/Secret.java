package dev.berth.reconcilers.secret;

/**
 * A secret file's content, as a workload gets it, and its digest.
 *
 * @param value the text, one line break at its end dropped
 * @param digest {@code sha256:<hex>} of the file's bytes as they are
 */
public record Secret(String value, String digest) {

  /** Never the value: records print every field, and values end up in logs and exceptions. */
  @Override
  public String toString() {
    return "Secret[digest=" + digest + ", value=<redacted>]";
  }
}
