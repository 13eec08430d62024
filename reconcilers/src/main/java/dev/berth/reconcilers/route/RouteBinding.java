package dev.berth.reconcilers.route;

import dev.berth.spec.model.RouteMode;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One route as the node's proxy should serve it: a listener port and hostname in front, a host port
 * on 127.0.0.1 behind.
 *
 * @param service the service the route belongs to
 * @param component its component
 * @param route the route's name within the component
 * @param mode {@code l7}: TLS terminated by the proxy with {@code certificate}; {@code l4}: TLS
 *     passed through, chosen by SNI
 * @param hostname the name clients ask for (SNI and Host); may start with {@code *.}. Null for an
 *     l4 route that takes its whole listener port: every connection is passed through, whatever
 *     name it asks for
 * @param listenerPort the port the proxy listens on
 * @param backendPort the component's allocated host port on 127.0.0.1
 * @param certificate the certificate an L7 route is served with; null for L4
 */
public record RouteBinding(
    String service,
    String component,
    String route,
    RouteMode mode,
    String hostname,
    int listenerPort,
    int backendPort,
    CertificateFiles certificate) {

  /** Requires the service, component and route. */
  public RouteBinding {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(component, "component");
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(mode, "mode");
    if (hostname == null && mode != RouteMode.L4) {
      throw new IllegalArgumentException(
          "only an l4 route may be without a hostname: " + service + "/" + route);
    }
    if (mode == RouteMode.L7 && certificate == null) {
      throw new IllegalArgumentException(
          "an l7 route is only served with its certificate: " + service + "/" + route);
    }
  }

  /**
   * The certificate files an L7 route is served with.
   *
   * @param fullChain PEM: the leaf first, then its intermediates
   * @param privateKey PEM: the leaf's private key
   * @param fingerprint the leaf's SHA-256 fingerprint: a renewed certificate keeps its paths but
   *     changes this, so the proxy is reloaded
   */
  public record CertificateFiles(Path fullChain, Path privateKey, String fingerprint) {
    /** Requires all three. */
    public CertificateFiles {
      Objects.requireNonNull(fullChain, "fullChain");
      Objects.requireNonNull(privateKey, "privateKey");
      Objects.requireNonNull(fingerprint, "fingerprint");
    }
  }
}
