package dev.berth.runner.cli;

import dev.berth.runner.agent.Agent;
import dev.berth.runner.config.AgentConfig;
import dev.berth.runner.config.AgentConfigLoader;
import dev.berth.runner.config.ConfigException;
import dev.berth.runner.logging.LogFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code berth agent}: runs the node agent in the foreground until it is told to stop. */
@Command(
    name = "agent",
    footerHeading = "%nExamples:%n",
    footer = {
      "  # Run with the defaults, in the current directory",
      "  berth agent",
      "  berth agent --config /etc/berth/berth.toml",
      "  # What the configuration amounts to, defaults filled in",
      "  berth agent --config berth.toml --print-config",
    },
    header = "Run the node agent.",
    description = {
      "Runs the node agent: the registry, the reconcile loops, the API and the metrics endpoint,"
          + " in the foreground until SIGTERM or Ctrl-C. Services keep running when it stops.",
      "Without --config, the defaults: data in ./berth-data, the API on ./berth.sock (mode 0600),"
          + " metrics on 127.0.0.1:9464, the process runtime (and podman or QEMU when installed)."
    },
    mixinStandardHelpOptions = true)
final class AgentCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "The agent's configuration (TOML); see docs/configuration.md.")
  Path config;

  @Option(
      names = "--insecure-listen",
      description =
          "Allow api.tcp without TLS: anyone who reaches the port controls the node. For tests"
              + " on loopback only.")
  boolean insecureListen;

  @Option(
      names = "--print-config",
      description = "Print the effective configuration (defaults filled in) and exit.")
  boolean printConfig;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    try {
      // Before anything logs: logback reads its configuration once.
      LogFormat.choose();
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return ExitCodes.FAILED;
    }
    // gRPC and netty log through java.util.logging: into the one log with everything else.
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    Path workingDir = Path.of("").toAbsolutePath();
    AgentConfig loaded;
    try {
      loaded =
          config == null
              ? AgentConfigLoader.defaults(workingDir)
              : AgentConfigLoader.load(config, workingDir, insecureListen);
    } catch (ConfigException e) {
      err.println("error: the configuration is refused:");
      err.println(e.getMessage());
      return ExitCodes.FAILED;
    }
    if (printConfig) {
      spec.commandLine().getOut().print(loaded.describe());
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
    Agent agent;
    try {
      agent = Agent.start(loaded, insecureListen);
    } catch (ConfigException e) {
      err.println("error: the agent cannot start:");
      err.println(e.getMessage());
      return ExitCodes.FAILED;
    } catch (IOException | RuntimeException e) {
      err.println("error: the agent cannot start: " + e.getMessage());
      return ExitCodes.FAILED;
    }
    try {
      Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "berth-shutdown"));
    } catch (IllegalStateException shuttingDown) {
      // SIGTERM came while the agent was starting: stop it now, as the hook would have.
      agent.close();
      return ExitCodes.OK;
    }
    agent.awaitTermination();
    return ExitCodes.OK;
  }
}
