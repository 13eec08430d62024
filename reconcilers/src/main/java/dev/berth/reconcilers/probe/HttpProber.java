package dev.berth.reconcilers.probe;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Healthy when {@code GET http://host:port<path>} answers 2xx or 3xx within the timeout.
 *
 * <p>Redirects are not followed: a 3xx already shows the workload is up and answering, and
 * following it could lead the probe away from the workload it is meant to check.
 */
public final class HttpProber implements Prober {

  // One client for every probe: it pools keep-alive connections, so probing a workload again
  // does not open a new connection each time.
  private final HttpClient client =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          // Plain HTTP/1.1: HTTP/2 over cleartext would add an Upgrade dance some servers reject.
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  @Override
  public ProbeResult probe(ProbeTarget target, Duration timeout) {
    Objects.requireNonNull(target, "target");
    long millis = ProbeTimeout.millis(timeout);
    URI uri;
    try {
      uri = uri(target);
    } catch (IllegalArgumentException e) {
      return ProbeResult.fail("invalid probe URL for " + target + ": " + e.getMessage());
    }
    HttpRequest request = HttpRequest.newBuilder(uri).GET().timeout(timeout).build();
    CompletableFuture<HttpResponse<Void>> response =
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
    try {
      // The request timeout alone does not bound connecting (that is the client's connect
      // timeout, one for all targets); waiting on the future bounds the whole exchange.
      int status = response.get(millis, TimeUnit.MILLISECONDS).statusCode();
      String detail = "HTTP " + status;
      return status >= 200 && status < 400 ? ProbeResult.pass(detail) : ProbeResult.fail(detail);
    } catch (TimeoutException e) {
      response.cancel(true);
      return ProbeResult.fail(ProbeTimeout.timedOut(timeout));
    } catch (InterruptedException e) {
      response.cancel(true);
      Thread.currentThread().interrupt();
      return ProbeResult.fail("interrupted while waiting for " + uri);
    } catch (ExecutionException e) {
      return ProbeResult.fail(describe(e.getCause(), timeout));
    }
  }

  private static URI uri(ProbeTarget target) {
    String host = target.host().contains(":") ? "[" + target.host() + "]" : target.host();
    String path = target.path().startsWith("/") ? target.path() : "/" + target.path();
    return URI.create("http://" + host + ":" + target.port() + path);
  }

  private static String describe(Throwable failure, Duration timeout) {
    if (failure instanceof HttpTimeoutException) {
      return ProbeTimeout.timedOut(timeout);
    }
    String connect = ConnectFailures.describeIn(failure);
    if (connect != null) {
      return connect;
    }
    return failure.getClass().getSimpleName() + ": " + failure.getMessage();
  }
}
