package dev.berth.spec.validation;

import java.util.Objects;

/**
 * Settings of validation that an operator may relax, and the facts of the node that some rules
 * depend on.
 *
 * @param allowFloatingTags accept images without a tag or tagged {@code :latest}; off by default,
 *     because such an image changes under the same name and a recovery could start different code
 * @param defaultDomain the agent's {@code routes.default_domain}; {@link DefaultDomain#NONE} by
 *     default, so that an l7 route without a hostname is refused where nothing could serve it
 */
public record ValidationPolicy(boolean allowFloatingTags, DefaultDomain defaultDomain) {

  public static final ValidationPolicy STRICT = new ValidationPolicy(false);

  public ValidationPolicy {
    Objects.requireNonNull(defaultDomain, "defaultDomain");
  }

  public ValidationPolicy(boolean allowFloatingTags) {
    this(allowFloatingTags, DefaultDomain.NONE);
  }

  public ValidationPolicy withDefaultDomain(DefaultDomain domain) {
    return new ValidationPolicy(allowFloatingTags, domain);
  }
}
