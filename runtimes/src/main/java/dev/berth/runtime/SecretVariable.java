package dev.berth.runtime;

import java.util.Objects;

/**
 * An environment variable whose value is a secret: known by its digest while a workload is planned
 * and compared, given its value only by whoever creates the workload, and never printed.
 *
 * @param name the variable's name
 * @param source where the value is read from, for whoever reads it (a file's name), or null
 * @param digest what identifies the value without telling it, such as {@code sha256:<hex>}: part of
 *     the workload's spec hash, so that a changed value replaces the workload
 * @param value the value, or null while the workload is only planned (a runtime refuses to create a
 *     workload with a secret it has no value for)
 */
public record SecretVariable(String name, String source, String digest, String value) {

  /** Requires the name and the digest. */
  public SecretVariable {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(digest, "digest");
  }

  /** The variable as planned: its digest, no value. */
  public static SecretVariable planned(String name, String source, String digest) {
    return new SecretVariable(name, source, digest, null);
  }

  /** The same variable with its value, read by whoever creates the workload. */
  public SecretVariable withValue(String newValue) {
    return new SecretVariable(name, source, digest, Objects.requireNonNull(newValue, "value"));
  }

  /**
   * The value, for a runtime about to hand it to a workload.
   *
   * @throws IllegalStateException if it was never read: a planned spec must not reach a runtime
   */
  public String requireValue() {
    if (value == null) {
      throw new IllegalStateException("secret " + name + " has no value: it was never read");
    }
    return value;
  }

  /** Never the value: records print every field, and specs end up in logs and exceptions. */
  @Override
  public String toString() {
    return "SecretVariable[name="
        + name
        + ", source="
        + source
        + ", digest="
        + digest
        + ", value=<redacted>]";
  }
}
