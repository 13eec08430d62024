package dev.berth.reconcilers.route.nginx;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A plain http backend on 127.0.0.1 that answers every request with its name and the proxy headers
 * it received, so a test sees both which backend answered and what nginx forwarded.
 */
final class HttpBackend implements AutoCloseable {

  private final HttpServer server;

  private HttpBackend(HttpServer server) {
    this.server = server;
  }

  static HttpBackend start(String name) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body =
              name
                  + " host="
                  + exchange.getRequestHeaders().getFirst("Host")
                  + " proto="
                  + exchange.getRequestHeaders().getFirst("X-Forwarded-Proto")
                  + " for="
                  + exchange.getRequestHeaders().getFirst("X-Forwarded-For");
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    return new HttpBackend(server);
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
