package dev.berth.reconcilers.port;

/** No host port could be had for a route. */
public class PortExhaustedException extends RuntimeException {

  /** No port could be had, as {@code message} says. */
  public PortExhaustedException(String message) {
    super(message);
  }
}
