package dev.berth.runner.cli;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A Ctrl-C the test presses: {@link #stop()} runs what the command registered. */
final class ManualStopSignal implements StopSignal {

  private final List<Runnable> actions = new CopyOnWriteArrayList<>();

  @Override
  public Registration onStop(Runnable action) {
    actions.add(action);
    return () -> actions.remove(action);
  }

  boolean armed() {
    return !actions.isEmpty();
  }

  void stop() {
    actions.forEach(Runnable::run);
  }
}
