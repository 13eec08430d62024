package dev.berth.runtime.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A minimal client of the QEMU Machine Protocol: JSON objects, one per line, over a unix socket.
 *
 * <p>On connecting, QEMU sends a greeting and accepts nothing but {@code qmp_capabilities} until it
 * has been answered; {@link #connect} does that handshake. Then each {@link #execute} sends one
 * command and waits for its reply. QEMU interleaves asynchronous events ({@code {"event": ...}})
 * with replies, in any place; this client skips them: a level-triggered runtime asks {@code
 * query-status} when it wants to know.
 *
 * <p>Every wait is bounded by the timeout given to {@link #connect}: a QEMU that is stopped
 * (SIGSTOP) or wedged accepts the connection (the kernel does) but never speaks, and the caller
 * must be able to move on to SIGKILL. QEMU serves one QMP client at a time, so keep connections
 * short.
 */
final class QmpClient implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SocketChannel channel;
  private final Selector selector;
  private final long timeoutMillis;
  private final ByteBuffer input = ByteBuffer.allocate(8192);
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  private QmpClient(SocketChannel channel, Selector selector, Duration timeout) {
    this.channel = channel;
    this.selector = selector;
    this.timeoutMillis = Math.max(1, timeout.toMillis());
    input.flip(); // empty, ready to be read from
  }

  /**
   * Connects and negotiates capabilities.
   *
   * @throws IOException if nothing listens there, QEMU does not answer within {@code timeout}, or
   *     it answers with something that is not QMP
   */
  static QmpClient connect(Path socket, Duration timeout) throws IOException {
    // Blocking for the connect only: on a unix socket it either succeeds or fails at once.
    SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
    Selector selector = null;
    try {
      channel.configureBlocking(false);
      selector = Selector.open();
      channel.register(selector, SelectionKey.OP_READ);
      QmpClient client = new QmpClient(channel, selector, timeout);
      JsonNode greeting = client.readMessage();
      if (!greeting.has("QMP")) {
        throw new IOException("not a QMP greeting: " + greeting);
      }
      client.execute("qmp_capabilities");
      return client;
    } catch (IOException | RuntimeException e) {
      if (selector != null) {
        selector.close();
      }
      channel.close();
      throw e;
    }
  }

  /**
   * Runs a command without arguments.
   *
   * @return what the command returned ({@code {}} for most)
   * @throws QmpException if QEMU answered with an error
   * @throws IOException if the connection failed or QEMU did not answer in time
   */
  JsonNode execute(String command) throws IOException {
    byte[] request =
        (JSON.writeValueAsString(Map.of("execute", command)) + "\n")
            .getBytes(StandardCharsets.UTF_8);
    write(ByteBuffer.wrap(request));
    while (true) {
      JsonNode message = readMessage();
      if (message.has("return")) {
        return message.get("return");
      }
      if (message.has("error")) {
        JsonNode error = message.get("error");
        throw new QmpException(command, error.path("class").asText(), error.path("desc").asText());
      }
      // Anything else is an event (or a stray greeting field): not the answer we wait for.
    }
  }

  @Override
  public void close() {
    try {
      selector.close();
    } catch (IOException e) {
      // Nothing to do: the channel is closed below either way.
    }
    try {
      channel.close();
    } catch (IOException e) {
      // Already unusable; nothing was pending.
    }
  }

  private void write(ByteBuffer request) throws IOException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (request.hasRemaining()) {
      if (channel.write(request) == 0) {
        // The socket buffer is full (QEMU not reading): wait until it drains, or give up.
        channel.keyFor(selector).interestOps(SelectionKey.OP_WRITE);
        try {
          await(deadline);
        } finally {
          channel.keyFor(selector).interestOps(SelectionKey.OP_READ);
        }
      }
    }
  }

  /** The next JSON message: QEMU ends each one with a newline (CRLF, in fact). */
  private JsonNode readMessage() throws IOException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (true) {
      while (input.hasRemaining()) {
        byte next = input.get();
        if (next == '\n') {
          String text = line.toString(StandardCharsets.UTF_8).strip();
          line.reset();
          if (!text.isEmpty()) {
            return JSON.readTree(text);
          }
        } else {
          line.write(next);
        }
      }
      input.clear();
      int read = channel.read(input);
      input.flip();
      if (read < 0) {
        throw new IOException("QMP connection closed by QEMU");
      }
      if (read == 0) {
        await(deadline);
      }
    }
  }

  /** Waits until the channel is ready or the deadline passed; callers try again and come back. */
  private void await(long deadline) throws IOException {
    long left = (deadline - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      throw new SocketTimeoutException(
          "QEMU did not answer on QMP within " + timeoutMillis + " ms");
    }
    selector.select(left);
    selector.selectedKeys().clear();
  }

  /** QEMU answered a command with an error. */
  static final class QmpException extends IOException {

    private final String errorClass;

    QmpException(String command, String errorClass, String description) {
      super("QMP " + command + " failed: " + errorClass + ": " + description);
      this.errorClass = errorClass;
    }

    /** QEMU's error class, e.g. {@code GenericError} or {@code CommandNotFound}. */
    String errorClass() {
      return errorClass;
    }
  }
}
