package dev.berth.store.registry;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The child process of {@link DurabilityTest}: applies changed specs in a loop and prints {@code
 * ACK <service> <generation> <comment>} after each apply returns, i.e. once it is acknowledged.
 * Runs until it is killed.
 */
public final class ApplyLoop {

  private ApplyLoop() {}

  public static void main(String[] args) {
    Path dataDirectory = Path.of(args[0]);
    String run = args[1];
    PrintStream out = System.out;
    try (Registry registry = Registry.open(RegistryConfig.at(dataDirectory))) {
      out.println("READY");
      out.flush();
      for (long i = 0; ; i++) {
        String name = "svc-" + (i % 5);
        String comment = "run " + run + " write " + i;
        ApplyResult result =
            registry
                .services()
                .apply(
                    ApplyRequest.of("durability", List.of(Specs.web(name).withComment(comment))));
        out.println("ACK " + name + " " + result.of(name).generation() + " " + comment);
        out.flush();
      }
    }
  }
}
