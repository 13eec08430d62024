package dev.berth.core.controller;

import java.util.Collection;

/**
 * Lists every key a controller is responsible for: the source of the initial pass at start and of
 * each periodic resync. A failure is logged and the listing is retried with backoff.
 *
 * @param <K> the key type
 */
@FunctionalInterface
public interface KeyLister<K> {

  /**
   * Every key the controller is responsible for now.
   *
   * @return the keys, each of which is reconciled
   * @throws Exception if the listing failed; it is retried with backoff
   */
  Collection<K> listKeys() throws Exception;
}
