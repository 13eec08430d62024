package dev.berth.reconcilers.port;

/**
 * The host ports Berth may give to routes.
 *
 * @param first the lowest port, at least 1024 (ports below need privileges and belong to the
 *     proxy's listeners)
 * @param last the highest port, at most 65535
 */
public record PortRange(int first, int last) {

  /** Above the registered ports most services use, below the kernel's ephemeral range. */
  public static final PortRange DEFAULT = new PortRange(10000, 60000);

  /** Requires {@code 1024 <= first <= last <= 65535}. */
  public PortRange {
    if (first < 1024 || last > 65535 || first > last) {
      throw new IllegalArgumentException(
          "port range must be within 1024..65535 with first <= last, was " + first + "-" + last);
    }
  }

  /** How many ports it holds. */
  public int size() {
    return last - first + 1;
  }

  /** Whether {@code port} is in it. */
  public boolean contains(int port) {
    return port >= first && port <= last;
  }

  @Override
  public String toString() {
    return first + "-" + last;
  }
}
