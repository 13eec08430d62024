package dev.berth.examples.engine;

import dev.berth.core.controller.KeyLister;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Lists every declared key for the controller (its initial pass and each periodic resync), and
 * remembers when it did, so that the summary can show which resync repaired the drift.
 */
final class Listings implements KeyLister<String> {

  private final Declared declared;
  private final List<Long> times = new CopyOnWriteArrayList<>();

  Listings(Declared declared) {
    this.declared = declared;
  }

  @Override
  public Collection<String> listKeys() {
    times.add(System.nanoTime());
    return declared.keys();
  }

  /** When each listing happened, on the {@link System#nanoTime()} scale. */
  List<Long> times() {
    return List.copyOf(times);
  }
}
