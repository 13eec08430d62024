package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import io.grpc.LoadBalancerRegistry;
import io.grpc.NameResolverRegistry;
import io.grpc.okhttp.OkHttpChannelBuilder;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Loads and initialises, on a second thread, what a command that reaches the agent needs after
 * picocli has read its arguments, while picocli reads them: java.util.logging, gRPC's channel
 * builder with its registries (a service-loader pass over the jar), the locale data gRPC's thread
 * names are formatted with, and the API's protobuf descriptors (every message of the file is built
 * at once, some 30 ms). They would otherwise run one after the other on the main thread; a client
 * command's main thread leaves the machine's second core idle.
 *
 * <p>Nothing here has an effect beyond loading classes: no channel is built, no thread but this one
 * is started, and a command that needs none of it (help, a usage error) exits without waiting for
 * it (a daemon thread).
 */
final class ClientWarmUp {

  /** Words that make a command line print help or a script: nothing of the agent's is needed. */
  private static final Set<String> NO_AGENT = Set.of("-h", "--help", "help", "completion");

  private ClientWarmUp() {}

  /**
   * Starts the warm-up, unless {@code args} are empty or ask for help or a completion script: on
   * two cores, a warm-up nobody needs slows the help it runs beside by a tenth. A guess either way
   * costs time, never a different result.
   */
  static void startFor(String[] args) {
    if (args.length == 0 || Arrays.stream(args).anyMatch(NO_AGENT::contains)) {
      return;
    }
    start();
  }

  static void start() {
    Thread thread = new Thread(ClientWarmUp::run, "berth-warm-up");
    thread.setDaemon(true);
    thread.start();
  }

  private static void run() {
    try {
      // In the order the command needs them: the channel first, the answer's descriptors last.
      Logger.getLogger("io.grpc");
      OkHttpChannelBuilder.forAddress("127.0.0.1", 1);
      NameResolverRegistry.getDefaultRegistry();
      LoadBalancerRegistry.getDefaultRegistry();
      // gRPC names its threads with String.format, whose first call loads the locale data.
      String.format(Locale.ROOT, "%d", 0);
      AgentProto.getDescriptor();
    } catch (RuntimeException | LinkageError e) {
      // Only a head start: the command loads the same classes itself and reports what fails.
    }
  }
}
