package dev.berth.examples.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The declared specs, as an agent's registry holds them: the desired half of the world. The set of
 * keys is fixed for the demo; the specs behind them change.
 */
final class Declared {

  private final List<String> keys;
  private final ConcurrentHashMap<String, Spec> specs;

  /** Keys are listed in the iteration order of {@code specs}. */
  Declared(Map<String, Spec> specs) {
    this.keys = List.copyOf(specs.keySet());
    this.specs = new ConcurrentHashMap<>(specs);
  }

  Optional<Spec> get(String key) {
    return Optional.ofNullable(specs.get(key));
  }

  void put(String key, Spec spec) {
    if (!specs.containsKey(key)) {
      throw new IllegalArgumentException("the demo declares no key " + key);
    }
    specs.put(key, spec);
  }

  List<String> keys() {
    return keys;
  }

  int size() {
    return keys.size();
  }
}
