package dev.berth.reconcilers.route.nginx;

import dev.berth.reconcilers.route.RouteBinding;
import dev.berth.reconcilers.route.RouteException;
import dev.berth.spec.model.RouteMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Renders the complete {@code nginx.conf} for a set of routes. A pure function of its inputs: the
 * same set renders the same text (everything is sorted), so comparing texts tells whether nginx
 * must reload.
 *
 * <p>Per listener port:
 *
 * <ul>
 *   <li>L7 only: http servers on {@code ADDR:PORT}, one per hostname, behind a default server that
 *       rejects the TLS handshake for any other name, so an unknown SNI never sees another
 *       service's certificate.
 *   <li>an L4 route without a hostname: a stream server on {@code ADDR:PORT} that passes every
 *       connection through to its backend, without reading the SNI; no other route on the port.
 *   <li>L4 only: a stream server on {@code ADDR:PORT} that reads the SNI ({@code ssl_preread}) and
 *       passes the connection through to the backend mapped to it; unknown names are closed.
 *   <li>both: the stream server owns {@code ADDR:PORT} and sends L4 names to an inner stream server
 *       and everything else to the http servers, both on unix sockets. It speaks the PROXY protocol
 *       to them so the http servers still see the client's address.
 * </ul>
 */
final class NginxConfigRenderer {

  /** RFC 1123 labels, optionally behind one leading {@code *.}; matched case-insensitively. */
  private static final Pattern HOSTNAME =
      Pattern.compile(
          "(\\*\\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?",
          Pattern.CASE_INSENSITIVE);

  /** What a fingerprint may hold, so it cannot end the comment it is written into. */
  private static final Pattern FINGERPRINT = Pattern.compile("[A-Za-z0-9:+/=_-]+");

  /** sockaddr_un.sun_path holds 108 bytes with its terminating NUL. */
  private static final int MAX_SOCKET_PATH = 107;

  private static final Comparator<RouteBinding> BY_HOSTNAME =
      Comparator.comparing(NginxConfigRenderer::hostname)
          .thenComparing(RouteBinding::service)
          .thenComparing(RouteBinding::component)
          .thenComparing(RouteBinding::route);

  private final NginxConfig config;
  private final boolean loadStreamModule;

  /**
   * @param loadStreamModule whether to {@code load_module} the config's stream module; the caller
   *     decides (it exists on disk), so that rendering itself reads nothing
   */
  NginxConfigRenderer(NginxConfig config, boolean loadStreamModule) {
    this.config = config;
    this.loadStreamModule = loadStreamModule && config.streamModule() != null;
  }

  /**
   * @throws RouteException if the set cannot be served: two routes claim the same hostname on a
   *     port, a hostname or path cannot be written into nginx's configuration, or a route uses the
   *     ACME challenge port
   */
  String render(Set<RouteBinding> routes) {
    SortedMap<Integer, Listener> listeners = listeners(routes);
    Text text = new Text();
    text.line("# Rendered by Berth from its route set: every change is overwritten.");
    if (loadStreamModule) {
      text.line("load_module " + quote(config.streamModule()) + ";");
    }
    text.line("pid " + quote(config.pidFile()) + ";");
    text.line("lock_file " + quote(config.prefix().resolve("nginx.lock")) + ";");
    text.line("error_log " + quote(config.errorLog()) + " notice;");
    text.line("worker_processes auto;");
    text.blank();
    text.open("events");
    text.line("worker_connections 4096;");
    text.close();
    text.blank();
    renderHttp(text, listeners);
    if (listeners.values().stream().anyMatch(listener -> !listener.l4.isEmpty())) {
      text.blank();
      renderStream(text, listeners);
    }
    return text.toString();
  }

  private void renderHttp(Text text, SortedMap<Integer, Listener> listeners) {
    text.open("http");
    // Access logs would grow without bound (nothing rotates them); errors go to the error log.
    text.line("access_log off;");
    text.line("server_tokens off;");
    // nginx 1.22's default still offers TLS 1.0 and 1.1, and not 1.3.
    text.line("ssl_protocols TLSv1.2 TLSv1.3;");
    // nginx's compiled-in temp paths lie outside the prefix (/var/lib/nginx on Debian).
    for (String temp : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
      text.line(temp + "_temp_path " + quote(config.tempDirectory().resolve(temp)) + ";");
    }
    // Long hostnames do not fit the default buckets, and nginx -t would refuse them.
    text.line("server_names_hash_bucket_size 128;");
    text.line("map_hash_bucket_size 128;");
    // Behind a shared port the http servers listen on unix sockets; the PROXY header there
    // carries the client's address.
    text.line("set_real_ip_from unix:;");
    text.line("real_ip_header proxy_protocol;");
    text.blank();
    text.open("map $http_upgrade $berth_connection_upgrade");
    text.line("default upgrade;");
    text.line("\"\" close;");
    text.close();
    if (config.acmeChallenge() != null) {
      text.blank();
      renderAcmeChallenge(text, config.acmeChallenge());
    }
    for (Listener listener : listeners.values()) {
      if (listener.l7.isEmpty()) {
        continue;
      }
      String listen =
          listener.l4.isEmpty()
              ? address(listener.port) + " ssl"
              : quote("unix:" + socket("l7", listener.port)) + " ssl proxy_protocol";
      text.blank();
      text.line("# listener port " + listener.port + ": names it does not serve are refused");
      text.open("server");
      text.line("listen " + listen + " default_server;");
      text.line("ssl_reject_handshake on;");
      text.close();
      for (RouteBinding route : listener.l7) {
        RouteBinding.CertificateFiles certificate = route.certificate();
        text.blank();
        text.line("# " + owner(route) + " certificate sha256 " + fingerprint(route));
        text.open("server");
        text.line("listen " + listen + ";");
        text.line("server_name " + hostname(route) + ";");
        text.line("ssl_certificate " + quote(certificate.fullChain()) + ";");
        text.line("ssl_certificate_key " + quote(certificate.privateKey()) + ";");
        text.open("location /");
        text.line("proxy_pass http://127.0.0.1:" + route.backendPort() + ";");
        text.line("proxy_http_version 1.1;");
        text.line("proxy_set_header Host $host;");
        // nginx is the edge: whatever X-Forwarded-For the client sent is not to be trusted.
        text.line("proxy_set_header X-Forwarded-For $remote_addr;");
        text.line("proxy_set_header X-Forwarded-Proto https;");
        text.line("proxy_set_header Upgrade $http_upgrade;");
        text.line("proxy_set_header Connection $berth_connection_upgrade;");
        text.close();
        text.close();
      }
    }
    text.close();
  }

  private void renderAcmeChallenge(Text text, NginxConfig.AcmeChallenge acme) {
    text.line("# ACME http-01 challenges: a token's file, as text/plain; anything else is 404");
    text.open("server");
    text.line("listen " + address(acme.port()) + " default_server;");
    // Tokens are base64url; the pattern also keeps requests inside the directory.
    text.open("location ~ ^/\\.well-known/acme-challenge/([A-Za-z0-9_-]+)$");
    text.line("types { }");
    text.line("default_type text/plain;");
    text.line("alias \"" + checked(acme.directory().toString()) + "/$1\";");
    text.close();
    text.open("location /");
    text.line("return 404;");
    text.close();
    text.close();
  }

  private void renderStream(Text text, SortedMap<Integer, Listener> listeners) {
    String refuse = quote("unix:" + socket("refuse", 0));
    text.open("stream");
    text.line("map_hash_bucket_size 128;");
    text.blank();
    text.line("# names no route serves: closed without a byte");
    text.open("server");
    text.line("listen " + refuse + ";");
    text.line("return \"\";");
    text.close();
    for (Listener listener : listeners.values()) {
      if (listener.l4.isEmpty()) {
        continue;
      }
      int port = listener.port;
      String backends = "$berth_l4_" + port;
      text.blank();
      if (listener.wholePort() != null) {
        RouteBinding route = listener.wholePort();
        text.line(
            "# listener port " + port + ": every connection passed through to " + owner(route));
        text.open("server");
        text.line("listen " + address(port) + ";");
        text.line("proxy_pass 127.0.0.1:" + route.backendPort() + ";");
        text.close();
        continue;
      }
      if (listener.l7.isEmpty()) {
        text.line("# listener port " + port + ": TLS passthrough by SNI");
        renderBackendMap(text, backends, listener.l4, refuse);
        text.open("server");
        text.line("listen " + address(port) + ";");
        text.line("ssl_preread on;");
        text.line("proxy_pass " + backends + ";");
        text.close();
        continue;
      }
      String l4Socket = quote("unix:" + socket("l4", port));
      String l7Socket = quote("unix:" + socket("l7", port));
      String mux = "$berth_mux_" + port;
      text.line(
          "# listener port " + port + ": passthrough names by SNI, the rest to its http servers");
      text.open("map $ssl_preread_server_name " + mux);
      text.line("hostnames;");
      text.line("default " + l7Socket + ";");
      for (RouteBinding route : listener.l4) {
        text.line(hostname(route) + " " + l4Socket + ";");
      }
      text.close();
      text.open("server");
      text.line("listen " + address(port) + ";");
      text.line("ssl_preread on;");
      text.line("proxy_protocol on;");
      text.line("proxy_pass " + mux + ";");
      text.close();
      renderBackendMap(text, backends, listener.l4, refuse);
      text.open("server");
      text.line("listen " + l4Socket + " proxy_protocol;");
      text.line("ssl_preread on;");
      text.line("proxy_pass " + backends + ";");
      text.close();
    }
    text.close();
  }

  private static void renderBackendMap(
      Text text, String variable, List<RouteBinding> routes, String refuse) {
    text.open("map $ssl_preread_server_name " + variable);
    text.line("hostnames;");
    text.line("default " + refuse + ";");
    for (RouteBinding route : routes) {
      text.line("# " + owner(route));
      text.line(hostname(route) + " 127.0.0.1:" + route.backendPort() + ";");
    }
    text.close();
  }

  /**
   * Groups the routes by listener port, sorted, refusing what nginx could not serve unambiguously.
   */
  private SortedMap<Integer, Listener> listeners(Set<RouteBinding> routes) {
    Map<String, RouteBinding> claimed = new HashMap<>();
    SortedMap<Integer, Listener> listeners = new TreeMap<>();
    for (RouteBinding route : routes) {
      if (route.hostname() != null && !HOSTNAME.matcher(route.hostname()).matches()) {
        throw new RouteException(
            owner(route) + ": hostname '" + route.hostname() + "' is not a DNS name");
      }
      requirePort(route, "listener", route.listenerPort());
      requirePort(route, "backend", route.backendPort());
      if (config.acmeChallenge() != null && route.listenerPort() == config.acmeChallenge().port()) {
        throw new RouteException(
            owner(route)
                + ": listener port "
                + route.listenerPort()
                + " is the ACME challenge server's port");
      }
      // Routes without a hostname are checked below, once each port's routes are known.
      RouteBinding previous =
          route.hostname() == null
              ? null
              : claimed.put(route.listenerPort() + " " + hostname(route), route);
      if (previous != null) {
        throw new RouteException(
            owner(previous)
                + " and "
                + owner(route)
                + " both claim "
                + hostname(route)
                + " on listener port "
                + route.listenerPort());
      }
      Listener listener =
          listeners.computeIfAbsent(route.listenerPort(), port -> new Listener(port));
      (route.mode() == RouteMode.L4 ? listener.l4 : listener.l7).add(route);
    }
    for (Listener listener : listeners.values()) {
      RouteBinding whole = listener.wholePort();
      List<RouteBinding> others = new ArrayList<>(listener.l4);
      others.addAll(listener.l7);
      others.remove(whole);
      if (whole != null && !others.isEmpty()) {
        RouteBinding other = others.get(0);
        throw new RouteException(
            owner(whole)
                + " has no hostname and takes listener port "
                + listener.port
                + " whole, but "
                + owner(other)
                + " is on it too");
      }
    }
    for (Listener listener : listeners.values()) {
      listener.l4.sort(BY_HOSTNAME);
      listener.l7.sort(BY_HOSTNAME);
    }
    return listeners;
  }

  private static void requirePort(RouteBinding route, String which, int port) {
    if (port < 1 || port > 65535) {
      throw new RouteException(owner(route) + ": " + which + " port must be 1..65535, was " + port);
    }
  }

  private String address(int port) {
    String address = config.listenAddress();
    return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
  }

  /** {@code sockets/<kind>-<port>.sock}; port 0 for the one socket of its kind. */
  private Path socket(String kind, int port) {
    Path socket =
        config.socketDirectory().resolve(port == 0 ? kind + ".sock" : kind + "-" + port + ".sock");
    if (socket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
      throw new RouteException(
          "the nginx prefix "
              + config.prefix()
              + " is too long: its unix socket "
              + socket
              + " exceeds "
              + MAX_SOCKET_PATH
              + " bytes");
    }
    return socket;
  }

  /** The name nginx matches; a route without one is told apart from the others by its port. */
  private static String hostname(RouteBinding route) {
    return route.hostname() == null ? "" : route.hostname().toLowerCase(Locale.ROOT);
  }

  private static String fingerprint(RouteBinding route) {
    String fingerprint = route.certificate().fingerprint();
    if (!FINGERPRINT.matcher(fingerprint).matches()) {
      throw new RouteException(
          owner(route) + ": certificate fingerprint '" + fingerprint + "' is not a digest");
    }
    return fingerprint;
  }

  private static String owner(RouteBinding route) {
    return route.service() + "/" + route.component() + "/" + route.route();
  }

  private static String quote(Path path) {
    return quote(path.toString());
  }

  private static String quote(String value) {
    return "\"" + checked(value) + "\"";
  }

  /**
   * A value fit for a double-quoted nginx string. Some directives ({@code ssl_certificate}, {@code
   * alias}) expand {@code $variables}, so a value holding {@code $} (or a quote, backslash or
   * control character) is refused rather than escaped.
   */
  private static String checked(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\' || c == '$' || Character.isISOControl(c)) {
        throw new RouteException(
            "'" + value + "' cannot be written into nginx's configuration: it holds '" + c + "'");
      }
    }
    return value;
  }

  /** The routes on one listener port, each list sorted by hostname. */
  private static final class Listener {
    final int port;
    final List<RouteBinding> l4 = new ArrayList<>();
    final List<RouteBinding> l7 = new ArrayList<>();

    Listener(int port) {
      this.port = port;
    }

    /** The L4 route without a hostname that takes the port, or null. */
    RouteBinding wholePort() {
      return l4.stream().filter(route -> route.hostname() == null).findFirst().orElse(null);
    }
  }

  /** Indented configuration text, four spaces a level. */
  private static final class Text {
    private final StringBuilder text = new StringBuilder();
    private int depth;

    void line(String line) {
      text.append("    ".repeat(depth)).append(line).append('\n');
    }

    void blank() {
      text.append('\n');
    }

    void open(String block) {
      line(block + " {");
      depth++;
    }

    void close() {
      depth--;
      line("}");
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }
}
