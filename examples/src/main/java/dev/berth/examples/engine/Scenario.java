package dev.berth.examples.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The simulated node at start: what is declared, what is found running, and how long each workload
 * takes to warm up. Everything is drawn from one seed, so that a run can be repeated.
 *
 * @param declared the declared specs: databases first, then brokers, then apps
 * @param found what already runs at start, by key
 * @param warmUps how long each slow workload takes to become ready after a start
 * @param invalidKeys the apps whose spec no retry can fix
 */
record Scenario(
    Declared declared,
    Map<String, SimulatedWorkload> found,
    Map<String, Duration> warmUps,
    List<String> invalidKeys) {

  static final String DATABASE = "db-";
  static final String BROKER = "broker-";
  static final String APP = "app-";
  static final int DATABASES = 3;
  static final int BROKERS = 6;
  static final int INVALID_KEYS = 5;

  /** The fewest keys that leave room for every kind of key and every experiment. */
  static final int MIN_KEYS = 50;

  /** The share of apps that take a while to pass their readiness probe, as real ones do. */
  private static final double SLOW_APPS = 0.03;

  static Scenario generate(int keys, long seed, Duration warmUp) {
    if (keys < MIN_KEYS) {
      throw new IllegalArgumentException("a scenario needs at least " + MIN_KEYS + " keys");
    }
    Random random = new Random(seed);
    Map<String, Spec> specs = new LinkedHashMap<>();
    Map<String, SimulatedWorkload> found = new HashMap<>();
    Map<String, Duration> warmUps = new HashMap<>();

    // Infrastructure boots from nothing, and slowly: the boot stages wait for it.
    for (int i = 1; i <= DATABASES; i++) {
      specs.put(DATABASE + i, new Spec(version(random), 1));
      warmUps.put(DATABASE + i, around(warmUp, random));
    }
    for (int i = 1; i <= BROKERS; i++) {
      specs.put(BROKER + i, new Spec(version(random), 1));
      warmUps.put(BROKER + i, around(warmUp, random));
    }

    int apps = keys - DATABASES - BROKERS;
    String appKey = APP + "%0" + String.valueOf(apps).length() + "d";
    List<String> appKeys = new ArrayList<>(apps);
    for (int i = 1; i <= apps; i++) {
      String key = String.format(Locale.ROOT, appKey, i);
      appKeys.add(key);
      Spec spec = new Spec(version(random), 1 + random.nextInt(4));
      specs.put(key, spec);
      SimulatedWorkload running = runningAtStart(spec, random);
      if (running != null) {
        found.put(key, running);
      }
      if (random.nextDouble() < SLOW_APPS) {
        warmUps.put(key, around(warmUp, random));
      }
    }

    Collections.shuffle(appKeys, random);
    List<String> invalid = new ArrayList<>(appKeys.subList(0, INVALID_KEYS));
    Collections.sort(invalid);
    for (int i = 0; i < invalid.size(); i++) {
      String key = invalid.get(i);
      specs.put(key, broken(specs.get(key), i));
    }
    return new Scenario(new Declared(specs), Map.copyOf(found), Map.copyOf(warmUps), invalid);
  }

  /** What the node runs for an app at start; null for nothing. */
  private static SimulatedWorkload runningAtStart(Spec spec, Random random) {
    double draw = random.nextDouble();
    if (draw < 0.35) {
      return null; // never deployed, or lost with the runtime's state
    }
    if (draw < 0.70) {
      return SimulatedWorkload.longRunning(spec); // already right: the reconcile only looks
    }
    if (draw < 0.90) {
      return SimulatedWorkload.longRunning(
          olderPatch(spec)); // an upgrade declared while the agent was down
    }
    return SimulatedWorkload.longRunning(
        spec.withReplicas(spec.replicas() + 1)); // scaled down since
  }

  private static String version(Random random) {
    return "1." + random.nextInt(10) + "." + (1 + random.nextInt(9));
  }

  private static Spec olderPatch(Spec spec) {
    String version = spec.version();
    int dot = version.lastIndexOf('.');
    int patch = Integer.parseInt(version.substring(dot + 1));
    return new Spec(version.substring(0, dot + 1) + (patch - 1), spec.replicas());
  }

  /** Three kinds of mistakes a person declares, in turn. */
  private static Spec broken(Spec spec, int kind) {
    return switch (kind % 3) {
      case 0 -> spec.withReplicas(-1);
      case 1 -> new Spec(" ", spec.replicas());
      default -> spec.withReplicas(Spec.MAX_REPLICAS * 4);
    };
  }

  /** Between three quarters and one and a quarter of {@code mean}. */
  private static Duration around(Duration mean, Random random) {
    return Duration.ofNanos((long) (mean.toNanos() * (0.75 + 0.5 * random.nextDouble())));
  }
}
