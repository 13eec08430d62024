package dev.berth.reconcilers.port;

import dev.berth.store.registry.PortKey;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Which port to try for a key: a pure function of the key, the range and the ports already taken.
 *
 * <p>The search starts at a point derived from the key and walks up the range, wrapping around.
 * Starting from the key rather than from the bottom keeps keys from all fighting over the first
 * free port, and gives a key the same port again after a registry restore on an empty node.
 */
public final class PortCandidates {

  private PortCandidates() {}

  /**
   * The first port from the key's starting point that is neither allocated nor refused by {@code
   * usable}, or -1 if the whole range is taken.
   */
  public static int next(
      PortKey key, PortRange range, Set<Integer> allocated, IntPredicate usable) {
    int start = Math.floorMod(startingPoint(key), range.size());
    for (int i = 0; i < range.size(); i++) {
      int port = range.first() + (start + i) % range.size();
      if (!allocated.contains(port) && usable.test(port)) {
        return port;
      }
    }
    return -1;
  }

  static int startingPoint(PortKey key) {
    // String.hashCode is specified by the JLS, so the point is the same on every JVM.
    return (key.service() + "\n" + key.component() + "\n" + key.route()).hashCode();
  }
}
