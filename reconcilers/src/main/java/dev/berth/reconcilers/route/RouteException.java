package dev.berth.reconcilers.route;

/** Routes could not be put in place; the proxy still serves the previous set. */
public class RouteException extends RuntimeException {

  /** The routes could not be put in place, as {@code message} says. */
  public RouteException(String message) {
    super(message);
  }

  /** The routes could not be put in place, as {@code message} says, because of {@code cause}. */
  public RouteException(String message, Throwable cause) {
    super(message, cause);
  }
}
