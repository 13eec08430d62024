package dev.berth.reconcilers.probe;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;

/** Healthy when a TCP connection to the target is accepted within the timeout. */
public final class TcpProber implements Prober {

  @Override
  public ProbeResult probe(ProbeTarget target, Duration timeout) {
    Objects.requireNonNull(target, "target");
    int millis = (int) ProbeTimeout.millis(timeout);
    InetSocketAddress address = new InetSocketAddress(target.host(), target.port());
    if (address.isUnresolved()) {
      return ProbeResult.fail("unknown host " + target.host());
    }
    try (Socket socket = new Socket()) {
      socket.connect(address, millis);
      return ProbeResult.pass("connected");
    } catch (SocketTimeoutException e) {
      return ProbeResult.fail(ProbeTimeout.timedOut(timeout));
    } catch (NoRouteToHostException e) {
      return ProbeResult.fail("no route to host " + target.host());
    } catch (ConnectException e) {
      return ProbeResult.fail(ConnectFailures.describe(e));
    } catch (IOException e) {
      return ProbeResult.fail("cannot connect: " + e.getMessage());
    }
  }
}
