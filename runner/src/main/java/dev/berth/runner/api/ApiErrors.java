package dev.berth.runner.api;

import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.spec.validation.InvalidSpecException;
import dev.berth.spec.validation.Violation;
import dev.berth.store.registry.ConflictException;
import dev.berth.store.registry.NotFoundException;
import dev.berth.store.registry.RegistryUnavailableException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what the libraries throw into gRPC statuses, in one place: invalid input is {@code
 * INVALID_ARGUMENT} naming every field path, a conflict is {@code ABORTED}, an unknown service
 * {@code NOT_FOUND}, a registry that cannot keep writes {@code UNAVAILABLE} naming the cause.
 * Anything else is {@code INTERNAL}, logged with its stack here because the client only sees the
 * message.
 */
final class ApiErrors {

  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

  private ApiErrors() {}

  static StatusRuntimeException invalid(List<Violation> violations) {
    return withViolations(Code.INVALID_ARGUMENT, violations);
  }

  /**
   * A status whose message lists the violations and whose BadRequest details carry each by its
   * path, so that the CLI can name the file each came from.
   */
  private static StatusRuntimeException withViolations(Code code, List<Violation> violations) {
    String message = Violation.describe(violations);
    BadRequest.Builder details = BadRequest.newBuilder();
    for (Violation violation : violations) {
      details.addFieldViolations(
          BadRequest.FieldViolation.newBuilder()
              .setField(violation.path())
              .setDescription(violation.message()));
    }
    return StatusProto.toStatusRuntimeException(
        com.google.rpc.Status.newBuilder()
            .setCode(code.getNumber())
            .setMessage(message)
            .addDetails(com.google.protobuf.Any.pack(details.build()))
            .build());
  }

  static StatusRuntimeException invalidArgument(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }

  static StatusRuntimeException notFound(String service) {
    return Status.NOT_FOUND.withDescription("no service named " + service).asRuntimeException();
  }

  static StatusRuntimeException failedPrecondition(String message) {
    return Status.FAILED_PRECONDITION.withDescription(message).asRuntimeException();
  }

  static StatusRuntimeException of(Throwable error) {
    if (error instanceof StatusRuntimeException status) {
      return status;
    }
    if (error instanceof InvalidSpecException invalid) {
      return invalid(invalid.violations());
    }
    if (error instanceof ConflictException conflict && !conflict.violations().isEmpty()) {
      return withViolations(Code.ABORTED, conflict.violations());
    }
    if (error instanceof ConflictException) {
      return Status.ABORTED.withDescription(error.getMessage()).asRuntimeException();
    }
    if (error instanceof NotFoundException) {
      return Status.NOT_FOUND.withDescription(error.getMessage()).asRuntimeException();
    }
    if (error instanceof RegistryUnavailableException unavailable) {
      // Nothing was acknowledged; the fault stays until the agent is restarted (see /healthz).
      return Status.UNAVAILABLE
          .withDescription("the registry cannot keep writes: " + unavailable.getMessage())
          .asRuntimeException();
    }
    if (error instanceof RuntimeFailure failure) {
      // The runtime's own words say what failed (podman's stderr, a missing executable).
      return Status.UNAVAILABLE
          .withDescription("the runtime failed: " + failure.getMessage())
          .asRuntimeException();
    }
    LOG.error("request failed unexpectedly", error);
    return Status.INTERNAL
        .withDescription("internal error: " + error)
        .withCause(error)
        .asRuntimeException();
  }
}
