package dev.berth.reconcilers.probe;

import static dev.berth.reconcilers.probe.LocalPorts.HOST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.spec.model.ProbeType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class TcpProberTest {

  /** For probes that are answered: long enough for a cold JVM's first call (class loading). */
  private static final Duration PATIENT = Duration.ofSeconds(5);

  /** For probes that must time out, and how soon. */
  private static final Duration TIMEOUT = Duration.ofMillis(500);

  private final TcpProber prober = new TcpProber();
  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void closeEverything() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  @Test
  void anAcceptedConnectionPasses() throws IOException {
    ServerSocket server = open(LocalPorts.silentServer());

    ProbeResult result = prober.probe(tcp(server.getLocalPort()), PATIENT);

    assertThat(result).isEqualTo(ProbeResult.pass("connected"));
  }

  @Test
  void aRefusedConnectionFailsSayingSo() {
    ProbeResult result = prober.probe(tcp(LocalPorts.closedPort()), PATIENT);

    assertThat(result).isEqualTo(ProbeResult.fail("connection refused"));
  }

  @Test
  void aConnectionThatIsNeverAcceptedTimesOut() throws IOException {
    int port = listenerWithFullBacklog();

    long start = System.nanoTime();
    ProbeResult result = prober.probe(tcp(port), TIMEOUT);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertThat(result).isEqualTo(ProbeResult.fail("timed out after 500 ms"));
    assertThat(elapsed).isBetween(TIMEOUT.minusMillis(50), TIMEOUT.plusSeconds(1));
  }

  /**
   * A listener that never accepts and whose accept queue is full: Linux then drops new SYNs, so a
   * connect hangs until its timeout, all on 127.0.0.1. Skipped where the kernel behaves otherwise.
   */
  private int listenerWithFullBacklog() throws IOException {
    ServerSocket server = open(new ServerSocket(0, 1, InetAddress.getByName(HOST)));
    InetSocketAddress address = new InetSocketAddress(HOST, server.getLocalPort());
    for (int i = 0; i < 16; i++) {
      Socket filler = open(new Socket());
      try {
        filler.connect(address, 200);
      } catch (SocketTimeoutException e) {
        return server.getLocalPort();
      }
    }
    Assumptions.abort("this kernel accepts connections beyond a full backlog");
    return -1;
  }

  private <T extends AutoCloseable> T open(T closeable) {
    opened.add(closeable);
    return closeable;
  }

  private static ProbeTarget tcp(int port) {
    return new ProbeTarget(ProbeType.TCP, HOST, port, "");
  }
}
