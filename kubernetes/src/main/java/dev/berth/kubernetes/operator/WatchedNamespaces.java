package dev.berth.kubernetes.operator;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The namespaces whose BerthServices the operator reconciles: every namespace, or the ones named.
 *
 * @param names the namespaces; empty means every namespace
 */
public record WatchedNamespaces(Set<String> names) {

  public static final WatchedNamespaces ALL = new WatchedNamespaces(Set.of());

  public WatchedNamespaces {
    names = Set.copyOf(new TreeSet<>(Objects.requireNonNull(names, "names")));
  }

  public static WatchedNamespaces of(String... names) {
    if (names.length == 0) {
      throw new IllegalArgumentException("name at least one namespace, or use ALL");
    }
    return new WatchedNamespaces(Set.of(names));
  }

  public boolean all() {
    return names.isEmpty();
  }

  @Override
  public String toString() {
    return all() ? "all namespaces" : String.join(",", new TreeSet<>(names));
  }
}
