package dev.berth.runner.config;

import dev.berth.spec.validation.Rules;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An address to listen on, written {@code host:port}: {@code 127.0.0.1:7443}, {@code
 * node1.example:7443}, {@code [::1]:7443} (an IPv6 address in brackets, as in URLs).
 *
 * @param host a hostname, an IPv4 address or an IPv6 address (without the brackets)
 * @param port 1..65535
 */
public record HostPort(String host, int port) {

  private static final Pattern BRACKETED = Pattern.compile("\\[([0-9A-Fa-f:.]+)\\]:([0-9]{1,5})");
  private static final Pattern PLAIN = Pattern.compile("([^:\\[\\]]+):([0-9]{1,5})");
  private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
  private static final Pattern HOSTNAME =
      Pattern.compile(
          "(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

  public HostPort {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, was " + port);
    }
  }

  /**
   * The address {@code text} names, or null when it is not {@code host:port} with a port of
   * 1..65535 and a host that is a hostname or an IP address.
   */
  static HostPort parse(String text) {
    Matcher m = BRACKETED.matcher(text);
    boolean v6 = m.matches();
    if (!v6) {
      m = PLAIN.matcher(text);
      if (!m.matches()) {
        return null;
      }
    }
    String host = m.group(1);
    int port = Integer.parseInt(m.group(2));
    if (port < 1 || port > 65535) {
      return null;
    }
    boolean valid = v6 ? ipLiteral(host) : validHost(host);
    return valid ? new HostPort(host, port) : null;
  }

  /**
   * {@code localhost}, an address in 127.0.0.0/8, or {@code ::1}: reachable from this node only.
   */
  public boolean isLoopback() {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!IPV4.matcher(host).matches() && !host.contains(":")) {
      return false;
    }
    try {
      // Only literals get here, and InetAddress parses those without asking DNS.
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * The socket address to bind or connect to. A hostname is looked up now (and the address is
   * unresolved if that fails, so the bind reports it); the configuration never looks one up.
   */
  public InetSocketAddress toSocketAddress() {
    return new InetSocketAddress(host, port);
  }

  /** As the file writes it: {@code 127.0.0.1:7443}, {@code [::1]:7443}. */
  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  private static boolean validHost(String host) {
    if (IPV4.matcher(host).matches()) {
      return ipLiteral(host);
    }
    return HOSTNAME.matcher(host.toLowerCase(Locale.ROOT)).matches();
  }

  /** An IPv4 or IPv6 address, by the rule service files use ({@link Rules#ipLiteral}). */
  static boolean ipLiteral(String text) {
    return Rules.ipLiteral(text) == null;
  }
}
