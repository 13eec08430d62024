package dev.berth.examples.quickstart;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The quickstart's web service: a few lines of HTTP on the JDK's own server, so that the quickstart
 * runs with nothing but Java.
 *
 * <ul>
 *   <li>{@code GET /} answers its greeting, one line;
 *   <li>{@code GET /healthz} answers 200, for Berth's http health probe;
 *   <li>every request is logged to stdout, which Berth keeps as the component's log;
 *   <li>SIGTERM (how Berth stops a process) closes the listener and exits.
 * </ul>
 *
 * <p>Run as {@code PORT_HTTP=8080 java -cp berth-quickstart.jar
 * dev.berth.examples.quickstart.HelloServer [greeting...]}; see {@link HelloSettings}.
 */
public final class HelloServer implements AutoCloseable {

  /**
   * Route backends are reached on loopback: the node's proxy and Berth's probes connect to
   * 127.0.0.1 (the reconcilers' {@code WorkloadSpecs.ROUTE_HOST_IP}), and nothing else should.
   */
  public static final String LISTEN_ADDRESS = "127.0.0.1";

  private final HttpServer server;
  private final String greeting;
  private final PrintStream log;

  private HelloServer(HttpServer server, String greeting, PrintStream log) {
    this.server = server;
    this.greeting = greeting;
    this.log = log;
  }

  /**
   * Listens on {@code address} (port 0 for any free one) and serves until {@link #close()}.
   *
   * @param log where each request is written, one line each
   */
  public static HelloServer start(InetSocketAddress address, String greeting, PrintStream log)
      throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    HelloServer hello = new HelloServer(server, greeting, log);
    server.createContext("/", hello::handle);
    server.start();
    return hello;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops listening, giving requests in flight up to a second to finish. */
  @Override
  public void close() {
    server.stop(1);
  }

  public static void main(String[] args) throws IOException {
    HelloSettings settings;
    try {
      settings = HelloSettings.from(System.getenv(), List.of(args));
    } catch (IllegalArgumentException e) {
      System.err.println("hello-server: " + e.getMessage());
      System.exit(2);
      return;
    }
    InetSocketAddress address =
        new InetSocketAddress(InetAddress.getByName(LISTEN_ADDRESS), settings.port());
    HelloServer server = start(address, settings.greeting(), System.out);
    System.out.println(
        "hello-server: listening on http://"
            + LISTEN_ADDRESS
            + ":"
            + server.port()
            + "/, greeting \""
            + settings.greeting()
            + "\"");
    // The server's dispatcher thread keeps the JVM alive; SIGTERM runs this hook, and the JVM
    // exits.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  System.out.println("hello-server: stopped");
                },
                "hello-server-stop"));
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      int status;
      String body;
      if (!method.equals("GET") && !method.equals("HEAD")) {
        status = 405;
        body = "only GET and HEAD\n";
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      } else if (path.equals("/")) {
        status = 200;
        body = greeting + "\n";
      } else if (path.equals("/healthz")) {
        status = 200;
        body = "ok\n";
      } else {
        status = 404;
        body = "not found: " + path + "\n";
      }
      respond(exchange, method, status, body);
      log.println(
          Instant.now().truncatedTo(ChronoUnit.MILLIS)
              + " "
              + method
              + " "
              + exchange.getRequestURI()
              + " "
              + status
              + " from "
              + exchange.getRemoteAddress().getAddress().getHostAddress());
    }
  }

  private static void respond(HttpExchange exchange, String method, int status, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    if (method.equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
