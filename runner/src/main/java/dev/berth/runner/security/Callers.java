package dev.berth.runner.security;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** What the transport tells about a caller, and how a refused call ends. */
final class Callers {

  private Callers() {}

  /**
   * The caller's address for a log line: the host of a TCP peer (its port changes with every
   * connection and would defeat the refusal log's grouping), or the transport's own description.
   */
  static String peer(ServerCall<?, ?> call) {
    SocketAddress address = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    if (address instanceof InetSocketAddress inet) {
      return inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
    }
    return address == null ? "unknown" : address.toString();
  }

  /**
   * Ends the call with {@code status} and returns a listener that ignores what the client sends.
   */
  static <ReqT, RespT> ServerCall.Listener<ReqT> refuse(
      ServerCall<ReqT, RespT> call, Status status) {
    call.close(status, new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
