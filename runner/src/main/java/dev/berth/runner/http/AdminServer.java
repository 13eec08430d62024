package dev.berth.runner.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's admin endpoints, over HTTP on a loopback address only:
 *
 * <ul>
 *   <li>{@code GET /metrics}: every meter, in OpenMetrics when the {@code Accept} header asks for
 *       {@code application/openmetrics-text}, in Prometheus' text format 0.0.4 otherwise ({@link
 *       MetricsFormat}); gzip-compressed when {@code Accept-Encoding} accepts gzip;
 *   <li>{@code GET /healthz}: 200 {@code ok} while the agent works, 503 with the reason otherwise
 *       (a supervisor restarts it);
 *   <li>{@code GET /readyz}: 200 {@code ok} once the agent is ready (boot stages passed), 503 with
 *       the reason before.
 * </ul>
 *
 * {@code HEAD} is answered like {@code GET} without a body; other methods get 405, other paths 404.
 *
 * <p>Loopback only, because the endpoints have no authentication: metrics name the node's services
 * and their failures. Scrapers on other hosts go through a local agent or a proxy the operator
 * secures.
 */
public final class AdminServer implements AutoCloseable {

  /**
   * Prometheus' text exposition format, the one {@link PrometheusMeterRegistry#scrape()} writes.
   */
  public static final String METRICS_CONTENT_TYPE = MetricsFormat.PROMETHEUS_TEXT.contentType();

  /**
   * Scrapes and probes are rare and short; two threads keep a slow scrape from blocking a probe.
   */
  private static final int THREADS = 2;

  private static final String TEXT = "text/plain; charset=utf-8";

  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

  private final HttpServer server;
  private final ExecutorService executor;
  private final PrometheusMeterRegistry registry;
  private final Supplier<HealthReport> health;
  private final Supplier<HealthReport> readiness;

  private AdminServer(
      HttpServer server,
      ExecutorService executor,
      PrometheusMeterRegistry registry,
      Supplier<HealthReport> health,
      Supplier<HealthReport> readiness) {
    this.server = server;
    this.executor = executor;
    this.registry = registry;
    this.health = health;
    this.readiness = readiness;
  }

  /**
   * Starts serving on {@code address}.
   *
   * @param address a loopback address (127.0.0.0/8 or ::1); port 0 picks a free port ({@link
   *     #port()} tells which)
   * @param registry the meters {@code /metrics} shows
   * @param health answers {@code /healthz}; called on every request, so it must be cheap
   * @param readiness answers {@code /readyz}; called on every request, so it must be cheap
   * @throws IllegalArgumentException when {@code address} is not a resolved loopback address
   * @throws IOException when the address cannot be bound (e.g. the port is taken)
   */
  public static AdminServer start(
      InetSocketAddress address,
      PrometheusMeterRegistry registry,
      Supplier<HealthReport> health,
      Supplier<HealthReport> readiness)
      throws IOException {
    requireLoopback(address);
    return startAt(address, registry, health, readiness);
  }

  /**
   * Starts serving on {@code address}, whatever it is: for {@code berth operator} in a pod, whose
   * probes the kubelet sends to the pod's own address (the pod's network is its own, and a
   * NetworkPolicy decides who else reaches it). The agent on a node uses {@link #start}.
   */
  public static AdminServer startOnAnyAddress(
      InetSocketAddress address,
      PrometheusMeterRegistry registry,
      Supplier<HealthReport> health,
      Supplier<HealthReport> readiness)
      throws IOException {
    Objects.requireNonNull(address, "address");
    if (address.isUnresolved()) {
      throw new IllegalArgumentException(
          "admin HTTP server: " + address.getHostString() + " is not a resolved address");
    }
    return startAt(address, registry, health, readiness);
  }

  private static AdminServer startAt(
      InetSocketAddress address,
      PrometheusMeterRegistry registry,
      Supplier<HealthReport> health,
      Supplier<HealthReport> readiness)
      throws IOException {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(readiness, "readiness");
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new IOException(
          "admin HTTP server: cannot listen on " + describe(address) + ": " + e.getMessage(), e);
    }
    ExecutorService executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
    AdminServer admin = new AdminServer(server, executor, registry, health, readiness);
    server.createContext("/", admin::handle);
    server.setExecutor(executor);
    server.start();
    LOG.atInfo()
        .setMessage("serving /metrics, /healthz and /readyz")
        .addKeyValue("address", describe(admin.address()))
        .log();
    return admin;
  }

  /** The port listened on (the one chosen when port 0 was asked). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The address listened on. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops serving at once: a scrape or probe in flight is cut, its client retries. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      boolean head = "HEAD".equals(method);
      if (!head && !"GET".equals(method)) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        respond(exchange, 405, TEXT, "method not allowed: " + method + "\n", false);
        return;
      }
      switch (exchange.getRequestURI().getPath()) {
        case "/metrics":
          respondMetrics(exchange, head);
          break;
        case "/healthz":
          respondCheck(exchange, "health", health, head);
          break;
        case "/readyz":
          respondCheck(exchange, "readiness", readiness, head);
          break;
        default:
          respond(exchange, 404, TEXT, "not found; try /metrics, /healthz or /readyz\n", head);
      }
    } catch (IOException e) {
      // The client went away mid-response: nothing to tell it.
      LOG.debug("admin HTTP exchange failed: {}", e.toString());
    } catch (RuntimeException e) {
      LOG.warn("admin HTTP request failed", e);
      throw e;
    }
  }

  private void respondMetrics(HttpExchange exchange, boolean head) throws IOException {
    MetricsFormat format = MetricsFormat.negotiate(exchange.getRequestHeaders().getFirst("Accept"));
    boolean gzip =
        MetricsFormat.acceptsGzip(exchange.getRequestHeaders().getFirst("Accept-Encoding"));
    Headers headers = exchange.getResponseHeaders();
    headers.set("Content-Type", format.contentType());
    headers.set("Cache-Control", "no-store");
    headers.set("Vary", "Accept, Accept-Encoding");
    if (gzip) {
      headers.set("Content-Encoding", "gzip");
    }
    if (head) {
      exchange.sendResponseHeaders(200, -1);
      return;
    }
    // Scraped into memory first: a meter that fails to read must cost a 500, not half a body.
    ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
    try (OutputStream out = gzip ? new GZIPOutputStream(body, 8192) : body) {
      registry.scrape(out, format.contentType());
    }
    exchange.sendResponseHeaders(200, body.size());
    try (OutputStream out = exchange.getResponseBody()) {
      body.writeTo(out);
    }
  }

  private static void respondCheck(
      HttpExchange exchange, String what, Supplier<HealthReport> check, boolean head)
      throws IOException {
    HealthReport report;
    try {
      report = Objects.requireNonNull(check.get(), "the " + what + " check returned null");
    } catch (RuntimeException e) {
      // A check that cannot answer is a failing check, not a server error that hides why.
      LOG.warn("the {} check failed", what, e);
      report = HealthReport.failing("the " + what + " check failed: " + e);
    }
    respond(exchange, report.healthy() ? 200 : 503, TEXT, report.reason() + "\n", head);
  }

  private static void respond(
      HttpExchange exchange, int status, String contentType, String body, boolean head)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    if (head) {
      // -1: no body follows (the JDK server then sends no Content-Length of its own).
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void requireLoopback(InetSocketAddress address) {
    Objects.requireNonNull(address, "address");
    if (address.isUnresolved()) {
      throw new IllegalArgumentException(
          "admin HTTP server: "
              + address.getHostString()
              + " is not a resolved address; use a loopback address such as 127.0.0.1 or ::1");
    }
    if (!address.getAddress().isLoopbackAddress()) {
      throw new IllegalArgumentException(
          "admin HTTP server: "
              + describe(address)
              + " is not a loopback address; /metrics, /healthz and /readyz have no"
              + " authentication and are only served on loopback (127.0.0.1 or ::1)");
    }
  }

  private static String describe(InetSocketAddress address) {
    String host =
        address.getAddress() == null
            ? address.getHostString()
            : address.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "berth-admin-http-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
