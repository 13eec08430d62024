package dev.berth.runner.api;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Refuses a request that is not a valid protobuf message of its method (bytes that do not parse,
 * strings that are not UTF-8) with {@code INVALID_ARGUMENT}, naming the method and what is wrong.
 *
 * <p>gRPC parses a request with the method's marshaller before any interceptor of the service can
 * see it, and takes a failure there for an application error: the client gets {@code UNKNOWN} and
 * the agent's log an ERROR with a stack trace, for what is only bad input. So the service is
 * rebound to take the request's bytes as they came ({@link
 * ServerInterceptors#useMarshalledMessages}), which moves the parse into the call's listener, where
 * the interceptor here catches it.
 */
final class MalformedRequests implements ServerInterceptor {

  private MalformedRequests() {}

  static ServerServiceDefinition refused(ServerServiceDefinition service) {
    return ServerInterceptors.intercept(
        ServerInterceptors.useMarshalledMessages(service, RawBytes.MARSHALLER),
        new MalformedRequests());
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
        next.startCall(call, headers)) {

      /** The call was answered here; the handler, which saw no request, must not answer too. */
      private boolean refused;

      @Override
      public void onMessage(Q message) {
        if (refused) {
          return;
        }
        try {
          super.onMessage(message);
        } catch (StatusRuntimeException e) {
          if (!(e.getCause() instanceof InvalidProtocolBufferException malformed)) {
            throw e;
          }
          refused = true;
          call.close(
              Status.INVALID_ARGUMENT.withDescription(
                  "the request to "
                      + call.getMethodDescriptor().getFullMethodName()
                      + " is not a valid message: "
                      + malformed.getMessage()),
              new Metadata());
        }
      }

      @Override
      public void onHalfClose() {
        if (!refused) {
          super.onHalfClose();
        }
      }

      @Override
      public void onReady() {
        if (!refused) {
          super.onReady();
        }
      }
    };
  }
}
