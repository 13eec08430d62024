package dev.berth.reconcilers.port;

/** No host port could be had for a route. */
public class PortExhaustedException extends RuntimeException {

  public PortExhaustedException(String message) {
    super(message);
  }
}
