package dev.berth.spec.model;

/** How a component's health is probed. */
public enum ProbeType {
  /** A TCP connection is accepted. */
  TCP("tcp"),
  /** The standard gRPC health service answers SERVING. */
  GRPC("grpc"),
  /** An HTTP GET of a path answers 2xx or 3xx. */
  HTTP("http");

  private final String wire;

  ProbeType(String wire) {
    this.wire = wire;
  }

  /** Its spelling in files and on the wire. */
  public String wire() {
    return wire;
  }
}
