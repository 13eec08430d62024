package dev.berth.runner.cli;

import dev.berth.kubernetes.operator.WatchedNamespaces;
import dev.berth.runner.config.ConfigException;
import dev.berth.runner.config.OperatorConfigLoader;
import dev.berth.runner.logging.LogFormat;
import dev.berth.runner.operator.OperatorProcess;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code berth operator}: runs the Kubernetes operator in the foreground. Only berth-operator.jar
 * holds the operator; in berth.jar this says so (ClusterMode), and its help still works.
 */
@Command(
    name = "operator",
    footerHeading = "%nExamples:%n",
    footer = {
      "  berth operator",
      "  berth operator --kubeconfig ~/.kube/config --namespace shop",
    },
    header = "Run the Kubernetes operator.",
    description = {
      "Runs the BerthService operator against a cluster, in the foreground until SIGTERM or"
          + " Ctrl-C: it keeps each BerthService's Deployments, Services, Ingresses, TLSRoutes and"
          + " certificates as declared. See docs/kubernetes.md.",
      "It runs from berth-operator.jar, the cluster mode's build; berth.jar, the node's, says so"
          + " and exits 1.",
      "Without --kubeconfig: $KUBECONFIG, ~/.kube/config, then the pod's service account."
          + " Without --namespace: every namespace."
    },
    mixinStandardHelpOptions = true)
final class OperatorCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "The kubeconfig file whose current context names the cluster.")
  Path kubeconfig;

  static final class Scope {
    @Option(
        names = {"-n", "--namespace"},
        paramLabel = "NS",
        split = ",",
        required = true,
        description = "Reconcile the BerthServices of this namespace (repeatable, or NS,NS).")
    List<String> namespaces;

    @Option(
        names = {"-A", "--all-namespaces"},
        required = true,
        description = "Reconcile the BerthServices of every namespace (the default).")
    boolean all;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Scope scope;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "The operator's configuration (TOML); see docs/kubernetes.md.")
  Path config;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    if (!ClusterMode.available()) {
      err.println(ClusterMode.missing(spec.qualifiedName()));
      err.flush();
      return ExitCodes.FAILED;
    }
    try {
      // Before anything logs: logback reads its configuration once.
      LogFormat.choose();
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return ExitCodes.FAILED;
    }
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    OperatorConfigLoader.Loaded loaded;
    try {
      loaded =
          config == null
              ? OperatorConfigLoader.defaults()
              : OperatorConfigLoader.load(config, Path.of("").toAbsolutePath());
    } catch (ConfigException e) {
      err.println("error: the configuration is refused:");
      err.println(e.getMessage());
      err.flush();
      return ExitCodes.FAILED;
    }
    WatchedNamespaces namespaces =
        scope == null || scope.all
            ? WatchedNamespaces.ALL
            : WatchedNamespaces.of(scope.namespaces.toArray(String[]::new));
    OperatorProcess process;
    try {
      process =
          OperatorProcess.start(
              kubeconfig,
              loaded.settings().withNamespaces(namespaces),
              loaded.metricsListen(),
              loaded.localCa());
    } catch (Exception e) {
      err.println("error: the operator cannot start: " + e.getMessage());
      err.flush();
      return ExitCodes.FAILED;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(process::close, "berth-shutdown"));
    process.awaitTermination();
    return ExitCodes.OK;
  }
}
