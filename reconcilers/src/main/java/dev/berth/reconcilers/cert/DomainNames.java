package dev.berth.reconcilers.cert;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The names a certificate may cover: DNS hostnames, optionally with a wildcard as the whole
 * leftmost label ({@code *.example.net}).
 *
 * <p>The rules are deliberately narrower than DNS allows (no underscores, no trailing dot): every
 * name ends up in a certificate and in a directory name, and a narrow alphabet keeps both safe and
 * the mapping to a directory name one-to-one.
 */
public final class DomainNames {

  private static final String WILDCARD_PREFIX = "*.";
  private static final int MAX_LENGTH = 253;
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private DomainNames() {}

  /**
   * Returns the name in lower case.
   *
   * @throws IllegalArgumentException naming the name and what is wrong with it
   */
  public static String requireValid(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a certificate name must not be empty");
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "'" + name + "' is not a hostname: longer than " + MAX_LENGTH + " characters");
    }
    String rest = isWildcard(lower) ? lower.substring(WILDCARD_PREFIX.length()) : lower;
    if (rest.isEmpty()) {
      throw new IllegalArgumentException("'" + name + "' is not a hostname: a bare wildcard");
    }
    for (String label : rest.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        throw new IllegalArgumentException(
            "'"
                + name
                + "' is not a hostname: each dot-separated label must be 1..63 letters, digits"
                + " or inner hyphens (a wildcard only as the whole first label)");
      }
    }
    return lower;
  }

  /** Whether the name's first label is the wildcard {@code *}. */
  public static boolean isWildcard(String name) {
    return name.startsWith(WILDCARD_PREFIX);
  }

  /**
   * The directory name a certificate for this name is stored under: the name itself, with a leading
   * wildcard written as {@code _wildcard} (a {@code *} in a path invites globbing accidents).
   * One-to-one, since valid names never hold an underscore.
   *
   * @throws IllegalArgumentException if the name is not valid
   */
  public static String directoryName(String name) {
    String valid = requireValid(name);
    return isWildcard(valid) ? "_wildcard" + valid.substring(1) : valid;
  }
}
