package dev.berth.reconcilers.route;

/** Routes could not be put in place; the proxy still serves the previous set. */
public class RouteException extends RuntimeException {

  public RouteException(String message) {
    super(message);
  }

  public RouteException(String message, Throwable cause) {
    super(message, cause);
  }
}
