package dev.berth.bench.agent;

/**
 * A JVM hello world: {@link CliLatency}'s floor, what any Java command costs on this machine with
 * the launcher's JVM options. Run from a directory of its own class file alone, so that it opens no
 * jar.
 */
public final class CliLatencyFloor {

  private CliLatencyFloor() {}

  public static void main(String[] args) {
    System.out.println("hello");
  }
}
