package dev.berth.runner.cli;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reads a server stream to its end, or until the user stops it (Ctrl-C). Stopping cancels the call,
 * so the agent stops sending, and ends the command as cleanly as the end of the stream would: no
 * error, exit 0.
 */
final class FollowedStream {

  private FollowedStream() {}

  /**
   * Opens the stream with {@code open} and hands every message to {@code each}.
   *
   * @throws StatusRuntimeException when the call fails for any reason other than the user's stop
   */
  static <T> void read(StopSignal signal, Supplier<Iterator<T>> open, Consumer<T> each) {
    Context.CancellableContext call = Context.current().withCancellation();
    AtomicBoolean stopped = new AtomicBoolean();
    StopSignal.Registration registration =
        signal.onStop(
            () -> {
              stopped.set(true);
              call.cancel(null);
            });
    Context previous = call.attach();
    try {
      Iterator<T> messages = open.get();
      while (messages.hasNext()) {
        each.accept(messages.next());
      }
    } catch (StatusRuntimeException e) {
      if (!stopped.get() || e.getStatus().getCode() != Status.Code.CANCELLED) {
        throw e;
      }
    } finally {
      call.detach(previous);
      // A stream left early (an error while printing) must not keep running on the agent.
      call.cancel(null);
      // Last: a Ctrl-C waits for this, so that the lines printed so far are out.
      registration.close();
    }
  }
}
