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
 * @param processLimits what the node's process runtime can enforce of {@code memory} and {@code
 *     vcpus}; {@link ProcessLimitSupport#UNKNOWN} by default (accepted; the runtime still refuses
 *     what it cannot enforce)
 */
public record ValidationPolicy(
    boolean allowFloatingTags, DefaultDomain defaultDomain, ProcessLimitSupport processLimits) {

  /** Every default: no floating tags, no default domain, process limits unknown. */
  public static final ValidationPolicy STRICT = new ValidationPolicy(false);

  /** Requires the default domain and process limits. */
  public ValidationPolicy {
    Objects.requireNonNull(defaultDomain, "defaultDomain");
    Objects.requireNonNull(processLimits, "processLimits");
  }

  /** A policy whose process limits are unknown. */
  public ValidationPolicy(boolean allowFloatingTags, DefaultDomain defaultDomain) {
    this(allowFloatingTags, defaultDomain, ProcessLimitSupport.UNKNOWN);
  }

  /** A policy with no default domain and unknown process limits. */
  public ValidationPolicy(boolean allowFloatingTags) {
    this(allowFloatingTags, DefaultDomain.NONE);
  }

  /** This policy with {@code domain} as the default domain. */
  public ValidationPolicy withDefaultDomain(DefaultDomain domain) {
    return new ValidationPolicy(allowFloatingTags, domain, processLimits);
  }

  /** This policy with {@code limits} as what the process runtime can enforce. */
  public ValidationPolicy withProcessLimits(ProcessLimitSupport limits) {
    return new ValidationPolicy(allowFloatingTags, defaultDomain, limits);
  }
}
