package dev.berth.store.validation;

/**
 * Settings of validation that an operator may relax.
 *
 * @param allowFloatingTags accept images without a tag or tagged {@code :latest}; off by default,
 *     because such an image changes under the same name and a recovery could start different code
 */
public record ValidationPolicy(boolean allowFloatingTags) {

  public static final ValidationPolicy STRICT = new ValidationPolicy(false);
}
