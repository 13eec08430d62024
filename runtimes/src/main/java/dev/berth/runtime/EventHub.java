package dev.berth.runtime;

import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

/** The listeners of one runtime's events; what {@link WorkloadRuntime#watch} hands out. */
public final class EventHub {

  private static final System.Logger LOG = System.getLogger(EventHub.class.getName());

  private final Set<Consumer<RuntimeEvent>> listeners = new CopyOnWriteArraySet<>();

  /** Adds a listener until the returned handle is closed. */
  public AutoCloseable watch(Consumer<RuntimeEvent> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /**
   * Hands the event to every listener; a listener that throws is logged, never kills the source.
   */
  public void publish(RuntimeEvent event) {
    for (Consumer<RuntimeEvent> listener : listeners) {
      try {
        listener.accept(event);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a runtime event listener failed on " + event, e);
      }
    }
  }

  /** Whether anyone watches now, so that a runtime can stop producing events no one hears. */
  public boolean hasListeners() {
    return !listeners.isEmpty();
  }
}
