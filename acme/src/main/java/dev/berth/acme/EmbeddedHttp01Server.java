package dev.berth.acme;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers http-01 challenges itself, with the JDK's HTTP server, for nodes where no web server owns
 * port 80 (or in front of which a proxy forwards {@code /.well-known/acme-challenge/}).
 *
 * <p>It serves only published tokens, only for GET and HEAD; everything else is a 404 or 405.
 */
public final class EmbeddedHttp01Server implements Http01Responder, AutoCloseable {

  private final HttpServer server;
  private final Map<String, String> answers = new ConcurrentHashMap<>();

  private EmbeddedHttp01Server(HttpServer server) {
    this.server = server;
  }

  /**
   * Listens on the address (port 0 picks a free one; see {@link #address()}).
   *
   * @throws IOException if the address cannot be bound, e.g. it is in use
   */
  public static EmbeddedHttp01Server start(InetSocketAddress address) throws IOException {
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new IOException(
          "cannot listen for ACME http-01 challenges on " + address + ": " + e.getMessage(), e);
    }
    EmbeddedHttp01Server responder = new EmbeddedHttp01Server(server);
    server.createContext(PATH_PREFIX, responder::handle);
    server.start();
    return responder;
  }

  /** The address it listens on. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void publish(String token, String content) {
    answers.put(Http01Responder.requireSafeToken(token), content);
  }

  @Override
  public void withdraw(String token) {
    answers.remove(token);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      String token = exchange.getRequestURI().getPath().substring(PATH_PREFIX.length());
      String answer = answers.get(token);
      if (answer == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body = answer.getBytes(StandardCharsets.US_ASCII);
      exchange.getResponseHeaders().set("Content-Type", "text/plain");
      if (method.equals("HEAD")) {
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Stops listening at once: a validator still connected gets its connection closed. */
  @Override
  public void close() {
    server.stop(0);
  }
}
