package dev.berth.runner.cli;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's TCP address as given to {@code --address}: {@code host:port}, with an IPv6 address in
 * brackets ({@code [::1]:7443}).
 *
 * @param host a host name or address, without brackets
 * @param port 1..65535
 */
record AgentAddress(String host, int port) {

  private static final Pattern FORM =
      Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[^\\[\\]:]+):([0-9]{1,5})");

  /** The address {@code text} spells, if it has the right shape and a port in range. */
  static Optional<AgentAddress> parse(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    int port = Integer.parseInt(m.group(2));
    if (port < 1 || port > 65535) {
      return Optional.empty();
    }
    String host = m.group(1);
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    return Optional.of(new AgentAddress(host, port));
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
