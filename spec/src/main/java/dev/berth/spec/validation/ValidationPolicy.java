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

  public static final ValidationPolicy STRICT = new ValidationPolicy(false);

  public ValidationPolicy {
    Objects.requireNonNull(defaultDomain, "defaultDomain");
    Objects.requireNonNull(processLimits, "processLimits");
  }

  public ValidationPolicy(boolean allowFloatingTags, DefaultDomain defaultDomain) {
    this(allowFloatingTags, defaultDomain, ProcessLimitSupport.UNKNOWN);
  }

  public ValidationPolicy(boolean allowFloatingTags) {
    this(allowFloatingTags, DefaultDomain.NONE);
  }

  public ValidationPolicy withDefaultDomain(DefaultDomain domain) {
    return new ValidationPolicy(allowFloatingTags, domain, processLimits);
  }

  public ValidationPolicy withProcessLimits(ProcessLimitSupport limits) {
    return new ValidationPolicy(allowFloatingTags, defaultDomain, limits);
  }
}
