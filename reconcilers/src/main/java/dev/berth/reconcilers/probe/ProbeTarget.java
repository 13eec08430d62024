package dev.berth.reconcilers.probe;

import dev.berth.spec.model.ProbeType;
import java.util.Objects;

/**
 * What to probe.
 *
 * @param type tcp (a connection is accepted), http (a GET answers 2xx or 3xx), grpc (the standard
 *     health service answers SERVING)
 * @param host the address to connect to, 127.0.0.1 for Berth's workloads
 * @param port the port: an allocated host port, or a port the component declares
 * @param path http: the path to GET; grpc: the service name, empty for the whole server; tcp:
 *     unused
 */
public record ProbeTarget(ProbeType type, String host, int port, String path) {

  /** Requires the type and host; a null path becomes empty. */
  public ProbeTarget {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(host, "host");
    path = path == null ? "" : path;
  }

  @Override
  public String toString() {
    return type.wire() + "://" + host + ":" + port + path;
  }
}
