package dev.berth.store.registry;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Who is told of a store's committed writes, and the telling: the one way the registry calls back.
 * Writers publish after their commit and outside the registry's locks, so that a slow subscriber
 * never holds up another writer; a subscriber is called on the writer's thread and must be quick
 * (hand the news over to its own thread, as a loop's queue does).
 *
 * @param <T> what one publication carries
 */
final class Subscribers<T> {

  private final List<Consumer<T>> subscribers = new CopyOnWriteArrayList<>();

  /** Calls {@code subscriber} with every publication from now on, until the handle is closed. */
  AutoCloseable add(Consumer<T> subscriber) {
    subscribers.add(subscriber);
    return () -> subscribers.remove(subscriber);
  }

  /**
   * Tells every subscriber, in the order they subscribed. What one throws is swallowed: the write
   * is committed whatever its subscribers make of it, and the others are told all the same.
   */
  void publish(T news) {
    for (Consumer<T> subscriber : subscribers) {
      try {
        subscriber.accept(news);
      } catch (RuntimeException e) {
        // The subscriber's own problem; the write stands.
      }
    }
  }
}
