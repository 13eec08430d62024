package dev.berth.spec.validation;

import java.util.regex.Pattern;

/**
 * The rules for single values, each returning the broken rule's message or null when the value is
 * fine. Shared by {@link SpecValidator} and the parsers of files and requests, so that a rule reads
 * the same wherever it is broken.
 */
public final class Rules {

  /** The highest TCP port. */
  public static final int MAX_PORT = 65535;

  /** The highest memory limit of a component, in MiB: 1 TiB. */
  public static final int MAX_MEMORY_MB = 1_048_576; // 1 TiB

  /** The most virtual CPUs a component may ask for. */
  public static final int MAX_VCPUS = 256;

  /** The longest comment of a service, in characters. */
  public static final int MAX_COMMENT = 1024;

  /** The longest argument of a command, in characters. */
  public static final int MAX_ARG = 4096;

  /** The longest value of an environment variable, in characters. */
  public static final int MAX_ENV_VALUE = 32_768;

  /** The longest path, in characters. */
  public static final int MAX_PATH = 4096;

  /** The longest value of a component's label, in characters. */
  public static final int MAX_LABEL_VALUE = 256;

  /** The label prefix Berth keeps for the identity of what it creates. */
  public static final String RESERVED_LABEL_PREFIX = "berth.";

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern DNS_NAME_LABEL =
      Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,255}");
  private static final Pattern SECRET_FILE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,254}");
  private static final Pattern NETWORK = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}");
  private static final Pattern USER_PART = Pattern.compile("[a-z_][a-z0-9_-]{0,31}|[0-9]{1,10}");
  private static final Pattern LABEL_KEY =
      Pattern.compile("[a-z0-9]([a-z0-9._/-]{0,126}[a-z0-9])?");
  // Kubernetes' label syntax (apimachinery's IsQualifiedName and IsValidLabelValue).
  private static final Pattern K8S_LABEL_NAME =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?");
  private static final Pattern K8S_LABEL_PREFIX =
      Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
  private static final Pattern EXECUTABLE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._+-]*");
  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}"
              + "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");
  // InetAddress parses text starting with a hex digit or ':' and looks anything else up in DNS.
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:][0-9a-fA-F:.]{1,44}");

  // The grammar of image references, after distribution/reference:
  // [host[:port]/]path[:tag][@digest]
  private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final String HOST =
      "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?"
          + "(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]{1,5})?";
  private static final Pattern IMAGE =
      Pattern.compile(
          "(?:(?<host>"
              + HOST
              + ")/)?"
              + "(?<path>"
              + PATH_COMPONENT
              + "(?:/"
              + PATH_COMPONENT
              + ")*)"
              + "(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?"
              + "(?:@(?<digest>sha256:[a-f0-9]{64}))?");

  private Rules() {}

  /** Service, component and route names: identity comes from these whole, never from parts. */
  public static String dnsLabel(String value) {
    if (value == null || value.isEmpty()) {
      return "must not be empty";
    }
    if (!DNS_LABEL.matcher(value).matches()) {
      return "must be a lowercase DNS label (1-63 characters of a-z, 0-9 and '-', starting and"
          + " ending with a letter or digit), was "
          + Text.quote(value);
    }
    return null;
  }

  /** Hostnames of routes and node names: dot-separated DNS labels, at most 253 characters. */
  public static String hostname(String value, boolean wildcardAllowed) {
    if (value == null || value.isEmpty()) {
      return "must not be empty";
    }
    String rest = wildcardAllowed && value.startsWith("*.") ? value.substring(2) : value;
    boolean valid = value.length() <= 253 && !rest.isEmpty();
    for (String label : rest.split("\\.", -1)) {
      valid &= DNS_NAME_LABEL.matcher(label).matches();
    }
    if (!valid) {
      return "must be a lowercase DNS name (labels of a-z, 0-9 and '-' separated by dots"
          + (wildcardAllowed ? ", optionally starting with \"*.\"" : "")
          + "), was "
          + Text.quote(value);
    }
    return null;
  }

  /** {@code value} within {@code min..max}, both included. */
  public static String range(long value, long min, long max) {
    return value < min || value > max ? "must be " + min + ".." + max + ", was " + value : null;
  }

  /** A TCP port, {@code 1..}{@value #MAX_PORT}. */
  public static String port(long value) {
    return range(value, 1, MAX_PORT);
  }

  /** An image reference with an explicit, non-floating tag or a digest (unless allowed). */
  public static String image(String value, ValidationPolicy policy) {
    if (value == null || value.isEmpty()) {
      return "must not be empty";
    }
    var match = IMAGE.matcher(value);
    if (value.length() > 512 || !match.matches()) {
      return "must be an image reference such as registry.example:5000/team/app:1.4.2, was "
          + Text.quote(value);
    }
    String tag = match.group("tag");
    boolean pinned = match.group("digest") != null;
    if (!policy.allowFloatingTags() && !pinned) {
      if (tag == null) {
        return "needs an explicit tag (such as :1.4.2) or digest, was "
            + Text.quote(value)
            + "; an untagged image can change under the same name";
      }
      if (tag.equals("latest")) {
        return "must not use the floating tag :latest, was "
            + Text.quote(value)
            + "; pin a version (or allow floating tags in the registry's settings)";
      }
    }
    return null;
  }

  /** An absolute path without {@code ..}, control characters or {@code :}. */
  public static String absolutePath(String value) {
    if (value == null || value.isEmpty()) {
      return "must not be empty";
    }
    if (value.length() > MAX_PATH) {
      return "must be at most " + MAX_PATH + " characters, was " + value.length();
    }
    if (Text.hasControl(value, false)) {
      return "must not contain control characters, was " + Text.quote(value);
    }
    if (!value.startsWith("/")) {
      return "must be an absolute path, was " + Text.quote(value);
    }
    for (String segment : value.split("/")) {
      if (segment.equals("..")) {
        return "must not contain \"..\", was " + Text.quote(value);
      }
    }
    if (value.contains(":")) {
      return "must not contain ':', was " + Text.quote(value);
    }
    return null;
  }

  /** An absolute path, or a program name looked up in PATH; never an option or a shell snippet. */
  public static String executable(String value) {
    if (value == null || value.isEmpty()) {
      return "must not be empty";
    }
    if (value.startsWith("/")) {
      return absolutePath(value);
    }
    if (!EXECUTABLE_NAME.matcher(value).matches() || value.length() > 255) {
      return "must be an absolute path or a program name (letters, digits, '.', '_', '+', '-',"
          + " not starting with '-'), was "
          + Text.quote(value);
    }
    return null;
  }

  /**
   * An environment variable's name: an identifier ({@code [A-Za-z_][A-Za-z0-9_]*}), at most 256
   * characters.
   */
  public static String envKey(String value) {
    if (value == null || !ENV_KEY.matcher(value).matches()) {
      return "environment variable names must be identifiers ([A-Za-z_][A-Za-z0-9_]*), was "
          + Text.quote(value);
    }
    return null;
  }

  /**
   * The name of a file in the agent's secrets directory: one plain name, never a path, so that a
   * declaration can name no file outside that directory ({@code ..}, {@code /} and hidden files are
   * refused).
   */
  public static String secretFile(String value) {
    if (value == null || !SECRET_FILE.matcher(value).matches()) {
      return "must be a file name in the agent's secrets directory (letters, digits, '.', '_' and"
          + " '-', not starting with '.', no '/', at most 255 characters), was "
          + Text.quote(value);
    }
    return null;
  }

  /** Free text that ends up in argv, env or labels: no NUL or other control characters. */
  public static String plainText(String value, int maxLength, boolean allowWhitespace) {
    if (value == null) {
      return "must not be null";
    }
    if (value.length() > maxLength) {
      return "must be at most " + maxLength + " characters, was " + value.length();
    }
    if (Text.hasControl(value, allowWhitespace)) {
      return "must not contain control characters, was " + Text.quote(value);
    }
    return null;
  }

  /**
   * A runtime network's name: letters, digits, {@code _}, {@code .} and {@code -}, at most 63,
   * starting with a letter or digit.
   */
  public static String network(String value) {
    if (!NETWORK.matcher(value).matches()) {
      return "must be a network name (letters, digits, '_', '.', '-', at most 63), was "
          + Text.quote(value);
    }
    return null;
  }

  /** {@code name}, {@code uid}, {@code name:group} or {@code uid:gid}. */
  public static String user(String value) {
    String[] parts = value.split(":", -1);
    boolean valid = parts.length <= 2;
    for (String part : parts) {
      valid &= USER_PART.matcher(part).matches();
    }
    if (!valid) {
      return "must be user[:group] or uid[:gid], was " + Text.quote(value);
    }
    return null;
  }

  /**
   * A component's label key: 1-128 characters of a-z, 0-9, {@code .}, {@code _}, {@code /} and
   * {@code -}, starting and ending with a letter or digit.
   */
  public static String labelKey(String value) {
    if (value == null || !LABEL_KEY.matcher(value).matches()) {
      return "label keys must be 1-128 characters of a-z, 0-9, '.', '_', '/', '-', starting and"
          + " ending with a letter or digit, was "
          + Text.quote(value);
    }
    if (value.startsWith(RESERVED_LABEL_PREFIX)) {
      return "label keys starting with \"berth.\" are Berth's own, was " + Text.quote(value);
    }
    return null;
  }

  /**
   * A service's label key, as Kubernetes writes them: a name of at most 63 characters (letters,
   * digits, '-', '_', '.', starting and ending with a letter or digit), optionally after a DNS
   * subdomain prefix and '/' ({@code team.example.com/tier}); so that the labels are a
   * BerthService's labels unchanged in a cluster. Keys starting with {@code berth.} are Berth's.
   */
  public static String serviceLabelKey(String value) {
    String rule =
        "label keys must be NAME or PREFIX/NAME: a NAME of 1-63 letters, digits, '-', '_' and"
            + " '.', starting and ending with a letter or digit; a PREFIX a lowercase DNS"
            + " subdomain of at most 253 characters; was ";
    if (value == null || value.isEmpty()) {
      return rule + Text.quote(value == null ? "" : value);
    }
    int slash = value.indexOf('/');
    String prefix = slash < 0 ? null : value.substring(0, slash);
    String name = slash < 0 ? value : value.substring(slash + 1);
    boolean valid =
        K8S_LABEL_NAME.matcher(name).matches()
            && (prefix == null
                || (prefix.length() <= 253 && K8S_LABEL_PREFIX.matcher(prefix).matches()));
    if (!valid) {
      return rule + Text.quote(value);
    }
    if (value.startsWith(RESERVED_LABEL_PREFIX)) {
      return "label keys starting with \"berth.\" are Berth's own, was " + Text.quote(value);
    }
    return null;
  }

  /**
   * A service's label value, as Kubernetes writes them (1-63 letters, digits, '-', '_' and '.',
   * starting and ending with a letter or digit), but never empty: a selector could not tell {@code
   * key=} from a typing error.
   */
  public static String serviceLabelValue(String value) {
    if (value == null) {
      return "must not be null";
    }
    if (!K8S_LABEL_NAME.matcher(value).matches()) {
      return "label values must be 1-63 letters, digits, '-', '_' and '.', starting and"
          + " ending with a letter or digit, was "
          + Text.quote(value);
    }
    return null;
  }

  /** An IPv4 or IPv6 literal; never a name (that would need a lookup). */
  public static String ipLiteral(String value) {
    if (IPV4.matcher(value).matches()) {
      return null;
    }
    if (value.contains(":") && IPV6_CHARS.matcher(value).matches()) {
      try {
        // A literal with ':' is parsed, never looked up.
        java.net.InetAddress.getByName(value);
        return null;
      } catch (java.net.UnknownHostException e) {
        // fall through
      }
    }
    return "must be an IPv4 or IPv6 address, was " + Text.quote(value);
  }

  /**
   * A program to run, as a setting names it: a name looked up on the PATH, or a path. The settings
   * of podman, QEMU and nginx check their binaries with it.
   */
  public static String program(String value) {
    return value.isBlank()
        ? "must name a program (a name on the PATH or a path), was " + Text.quote(value)
        : null;
  }

  /**
   * Throws an IllegalArgumentException {@code name: rule} when {@code broken}, the result of one of
   * these rules, is not null: how a settings record's constructor checks the rules that a
   * configuration loader reports under its own key paths.
   */
  public static void require(String name, String broken) {
    if (broken != null) {
      throw new IllegalArgumentException(name + ": " + broken);
    }
  }

  /** For messages about other fields that quote input. */
  public static String quote(String value) {
    return Text.quote(value);
  }
}
